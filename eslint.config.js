// Lint rules: the recommended sets of ESLint and typescript-eslint, plus the
// house rules of STYLE.md that a machine can check: no `any`, small files,
// and the one-way stack of rooms under server/.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The rooms of server/, bottom up: each may import the rooms below it and
 * never one above it (STYLE.md, "The house"). Review knows claims, claims
 * never knows review; nothing but pages, app.ts and the command-line tools
 * knows pages. A wrong import fails `npm run lint`.
 */
export const ROOMS = ['platform', 'audit', 'accounts', 'reports', 'claims', 'sources', 'review', 'exports', 'bulk', 'webhooks', 'api', 'demo', 'pages'];

/** One files block per room, refusing imports of every room above it (the top room, pages, may import them all). */
const roomZones = ROOMS.slice(0, -1).map((room, i) => {
  const above = ROOMS.slice(i + 1);
  return {
    files: [`server/${room}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: above.flatMap((r) => [`../${r}`, `../${r}/**`, `**/server/${r}/**`]),
              message: `server/${room}/ sits below ${above.join(', ')} in the house's one-way stack (STYLE.md): it may import only ${ROOMS.slice(0, i).join(', ') || 'no other room'}. Move the code down, or hand it over from app.ts.`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'test/bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Small files (STYLE.md): about 300 lines of code at most; blank lines and comments are free.
    files: ['server/**/*.ts', 'test/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }] },
  },
  ...roomZones,
  {
    files: ['public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
);
