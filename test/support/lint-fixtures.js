// Lints fixture sources with the project's ESLint config, in its own process (ESLint loads eslint.config.mjs
// with a dynamic import, which Jest's module sandbox does not allow). stdin: [{path, code}] relative to the
// repository; stdout: the rule ids reported for each, in order.
const { ESLint } = require('eslint');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '../..');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const eslint = new ESLint({ cwd: root });
  const out = [];
  for (const fixture of JSON.parse(input)) {
    const [result] =
      fixture.code === undefined
        ? await eslint.lintFiles([join(root, fixture.path)])
        : await eslint.lintText(fixture.code, { filePath: join(root, fixture.path) });
    out.push(result.messages.map((message) => message.ruleId ?? message.message));
  }
  process.stdout.write(JSON.stringify(out));
});
