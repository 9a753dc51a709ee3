// ESLint's flat config: typescript-eslint's recommended rules (syntax only, not type-checked, so a
// lint stays a few seconds) on every TypeScript and JavaScript file we write. Formatting is
// prettier's job (.prettierrc), so no stylistic rule is turned on here.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'bench/results/', '**/node_modules/', '.data/', 'test-output/', 'src/client/openapi.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  // The dashboard's and the docs page's scripts run in the browser, not in node.
  { files: ['routes/dashboard/**/*.js', 'routes/docs/**/*.js'], languageOptions: { globals: globals.browser } },
  {
    rules: {
      // A leading underscore is this codebase's way to say "unused on purpose": a parameter a
      // signature requires, or a field dropped from an object by destructuring it into the rest.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // A `let` assigned once after a closure that reads it (the lifecycle the runner asks) cannot be a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
)
