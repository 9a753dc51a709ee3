/**
 * An integer query parameter within its bounds (openapi.yaml's `minimum` and `maximum`): undefined
 * when absent, 400 naming the parameter when it is not an integer or out of range.
 */
import { HttpProblem } from './problem.js'

export function readInteger(
  raw: string | undefined,
  name: string,
  { min, max }: { min: number; max: number },
): number | undefined {
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!/^-?[0-9]+$/.test(raw) || value < min || value > max) {
    throw new HttpProblem('invalid-parameter', `${name} must be an integer from ${min} to ${max}`)
  }
  return value
}
