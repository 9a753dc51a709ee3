/**
 * Replaces `object[name]` with what `replace` makes of the original (bound to `object`) until the
 * function returned is called, which puts the original back. Tests put a fault or a hold into one
 * of the store's calls this way (an answer lost with the connection, a claim held, a slow write);
 * a replacement that should act once calls the restore itself.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Method = (...args: any[]) => unknown

type MethodName<T> = { [K in keyof T]: T[K] extends Method ? K : never }[keyof T]

export function replaceMethod<T extends object, K extends MethodName<T>>(
  object: T,
  name: K,
  replace: (original: T[K]) => T[K],
): () => void {
  const original = object[name]
  object[name] = replace((original as Method).bind(object) as T[K])
  return () => {
    object[name] = original
  }
}
