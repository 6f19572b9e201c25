// Layering rules (STYLE.md §1): the host never imports electron, the renderer never imports Node,
// pipelines and the contract are pure. Only electron/main.ts and electron/preload.ts touch electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'resources/**', 'bench/results/**', 'tests/.artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only electron/main.ts and electron/preload.ts may import electron.' }] }],
    },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts', 'tests/e2e/electron*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Issue 12: every string of the interface goes through t() (renderer/i18n); names the user typed come from data.
    files: ['renderer/**/*.tsx'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: 'JSXText[value=/\\p{L}{2,}/u]', message: 'Interface text goes through t() (renderer/i18n): no literal words in JSX.' },
        { selector: 'JSXAttribute[name.name=/^(title|placeholder|aria-label|alt|label)$/] > Literal[value=/\\p{L}{2,}/u]', message: 'Interface text goes through t() (renderer/i18n): no literal words in title, placeholder, aria-label, alt or label.' },
        { selector: 'JSXAttribute[name.name=/^(title|placeholder|aria-label|alt|label)$/] > JSXExpressionContainer > TemplateLiteral > TemplateElement[value.raw=/\\p{L}{2,}/u]', message: 'Interface text goes through t() (renderer/i18n): no literal words in title, placeholder, aria-label, alt or label.' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'electron/contract/**/*.ts', 'native/pipelines/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer, contract and pipelines never import electron.' },
          ...nodeBuiltins.map((name) => ({ name, message: 'This layer is pure / sandboxed: no Node built-ins.' }))],
      }],
    },
  },
);
