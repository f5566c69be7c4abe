// Times npm's gpt-tokenizer counting a file, the JavaScript counterpart of
// tools/bench/counttext: load the encoding, count once to warm up, time N
// counts of the whole text, print "encoding count MB/s" (MB = 10^6 bytes).
// Special-token spellings count as ordinary text, as azchat counts them.
// gpt-tokenizer must be importable from where this file lies: make bench
// copies it next to its own `npm install --prefix DIR gpt-tokenizer`.
//
//   node gpt-tokenizer.mjs o200k_base mixed.txt [N]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [encoding, file, runsArg = '10'] = process.argv.slice(2);
const entryPoints = {
  o200k_base: () => import('gpt-tokenizer/encoding/o200k_base'),
  cl100k_base: () => import('gpt-tokenizer/encoding/cl100k_base'),
};
if (!entryPoints[encoding] || !file) {
  console.error('usage: node gpt-tokenizer.mjs o200k_base|cl100k_base FILE [N]');
  process.exit(2);
}
const { countTokens } = await entryPoints[encoding]();
const text = readFileSync(file, 'utf8');
const bytes = Buffer.byteLength(text, 'utf8');
const runs = Number(runsArg);
// Without this, gpt-tokenizer throws on "<|endoftext|>" in the text.
const options = { disallowedSpecial: new Set() };

const count = countTokens(text, options); // warm up
const start = performance.now();
for (let i = 0; i < runs; i++) {
  const n = countTokens(text, options);
  if (n !== count) throw new Error(`counts differ between runs: ${count}, ${n}`);
}
const secs = (performance.now() - start) / 1000;
console.log(`${encoding} ${count} ${((bytes * runs) / 1e6 / secs).toFixed(1)}`);
