// Checks texts as if they were files of the tree, in a child process (ESLint's config and
// Prettier load as ES modules, which jest cannot): the layering rule with exactly the options
// the repository's ESLint config gives that file (what `npm run lint` applies to it), and
// Prettier with the file's resolved options. Input on stdin: { imports: [{ filePath, text }],
// formats: [{ filePath, text }] }; output after the RESULTS line: what each broke.
import tsPlugin from '@typescript-eslint/eslint-plugin';
import tsParser from '@typescript-eslint/parser';
import { ESLint, Linter } from 'eslint';
import * as prettier from 'prettier';
import { resolve } from 'node:path';

const RULE = '@typescript-eslint/no-restricted-imports';

const input = JSON.parse(
  await new Promise((done) => {
    let text = '';
    process.stdin.on('data', (chunk) => (text += chunk));
    process.stdin.on('end', () => done(text));
  })
);
const eslint = new ESLint({ cwd: process.cwd() });
const linter = new Linter({ configType: 'flat' });
const imports = [];
for (const { filePath, text } of input.imports) {
  const config = await eslint.calculateConfigForFile(filePath);
  const rule = config.rules?.[RULE];
  const messages = rule
    ? linter.verify(
        text,
        [{ files: ['**/*.{ts,tsx}'], languageOptions: { parser: tsParser }, plugins: { '@typescript-eslint': tsPlugin }, rules: { [RULE]: rule } }],
        {
          filename: filePath,
        }
      )
    : [];
  imports.push(messages.map((m) => ({ ruleId: m.ruleId, message: m.message })));
}
const formats = [];
for (const { filePath, text } of input.formats) {
  const file = resolve(filePath);
  const { ignored } = await prettier.getFileInfo(file, { ignorePath: resolve('.prettierignore') });
  formats.push({ ignored, formatted: await prettier.check(text, { ...(await prettier.resolveConfig(file)), filepath: file }) });
}
process.stdout.write(`\nRESULTS\n${JSON.stringify({ imports, formats })}`);
