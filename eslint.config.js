// Layering rules (STYLE.md §1): the host never imports electron, the renderer never imports Node and reaches electron/
// only through the contract, native/ never imports the host, pipelines and the contract are pure. Only
// electron/main.ts and electron/preload.ts touch electron. Cycles between parts: tests/unit/import-layers.test.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = { name: 'electron', message: 'Only electron/main.ts and electron/preload.ts may import electron.' };
const pure = nodeBuiltins.map((name) => ({ name, message: 'This layer is pure / sandboxed: no Node built-ins.' }));
// Folders by what an import specifier names (relative imports always spell the folder they reach into).
const into = (folder, message) => ({ regex: `(^|/)${folder}(/|$)`, message });
const notHost = into('electron/host', 'Only the shells import the host (electron/host/**); use electron/contract/** for shared types.');
const notRenderer = into('renderer', 'Nothing imports the renderer: it talks to the host through electron/contract/**.');

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'resources/**', 'bench/results/**', 'tests/.artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts', 'tests/e2e/electron*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  // Each block below states a folder's whole rule (a later block replaces the rule's options, it does not add).
  {
    files: ['electron/host/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [notRenderer] }] },
  },
  {
    files: ['electron/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...pure], patterns: [notHost, notRenderer,
        { regex: '^\\.\\./host(/|$)', message: notHost.message }, // the host is the contract's sibling folder
        into('native', 'The contract is the bottom layer: it imports nothing of native/.')] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...pure], patterns: [
        { regex: '(^|/)electron/(?!contract/)', message: 'The renderer imports only electron/contract/** of electron/.' },
        into('native', 'The renderer runs sandboxed in the page: nothing of native/.')] }],
    },
  },
  {
    files: ['native/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [notHost, notRenderer] }] },
  },
  {
    files: ['native/pipelines/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...pure], patterns: [notHost, notRenderer,
        { regex: '(^\\.\\.|(^|/)native)/(simulator|worker|project-root)', message: 'Pipelines are pure builders: no simulator, worker or file-system code.' }] }],
    },
  },
);
