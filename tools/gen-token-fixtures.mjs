// Regenerates chat/tokens/testdata/reference.json with OpenAI's own tokenizer
// (npm package "tiktoken", the Rust core compiled to WASM), so the Go counts
// are checked against the reference implementation rather than against themselves.
// Usage: (cd /tmp && npm install tiktoken) && NODE_PATH=/tmp/node_modules node tools/gen-token-fixtures.mjs
import { createRequire } from "module";
import { writeFileSync } from "fs";
const require = createRequire(import.meta.url);
const { get_encoding } = require("tiktoken");

const texts = [
  "",
  "Hello, world!",
  "You are a helpful assistant.",
  "Who founded Microsoft?",
  "  leading and trailing spaces  ",
  "tabs\tand\nnewlines\r\nand\u000bvertical\u000cform feeds",
  "emoji 🚀👩‍👩‍👧‍👦🏳️‍🌈 and skin tones 👍🏽",
  "中文文本，日本語のテキスト、한국어 텍스트",
  "combining marks: e\u0301 a\u0308 n\u0303 Z\u0351\u0352\u0357\u034c",
  "control chars \u0000\u0001\u0002\u001b[31mred\u001b[0m",
  "unusual whitespace:\u00a0\u2002\u2003\u2009\u200b\u3000\u2028\u2029end",
  "RTL: مرحبا بالعالم שלום עולם",
  "numbers 1234567890 3.14159 1e-10 0xFF",
  "code:\n```go\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n```\n",
  "| a | b |\n|---|---|\n| 1 | 2 |",
  "special-looking text <|endoftext|> and <|im_start|>",
  "I'm can't won't they'll we've HELLO'S",
  "URLs https://example.invalid/path?q=1&x=2#frag",
  "é".repeat(50),
  "      many     spaces         between",
  "\n\n\n\n\nnewlines\n\n\n",
  "Ĳ ŉ ǅ ﬁ ﬂ ligatures and compatibility chars",
  "Mixed 日本 and English and emoji 😀 in one sentence.",
  "मानक हिन्दी देवनागरी लिपि",
  "ｆｕｌｌｗｉｄｔｈ　ｔｅｘｔ",
];

const convs = [
  // What the UI tests type first, so the stand-in can report its usage.
  [{ role: "user", content: "Who founded Microsoft?" }],
  [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "Who were the founders of Microsoft?" },
  ],
  [
    { role: "system", content: "You are a helpful, pattern-following assistant that translates corporate jargon into plain English." },
    { role: "system", name: "example_user", content: "New synergies will help drive top-line growth." },
    { role: "system", name: "example_assistant", content: "Things working well together will increase revenue." },
    { role: "system", name: "example_user", content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
    { role: "system", name: "example_assistant", content: "Let's talk later when we're less busy about how to do better." },
    { role: "user", content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
  ],
  [
    { role: "user", content: "emoji 🚀 and 中文" },
    { role: "assistant", content: "Réponse été 🚀" },
    { role: "user", name: "bob", content: "tabs\tand\u00a0nbsp" },
  ],
];

function msgTokens(enc, msgs) {
  let n = 0;
  for (const m of msgs) {
    n += 3;
    for (const [k, v] of Object.entries(m)) {
      n += enc.encode_ordinary(v).length;
      if (k === "name") n += 1;
    }
  }
  return n + 3;
}

const out = { generator: "npm tiktoken " + process.env.TIKTOKEN_VERSION || "?", texts: [], conversations: [] };
const encs = { o200k_base: get_encoding("o200k_base"), cl100k_base: get_encoding("cl100k_base") };
for (const t of texts) {
  const row = { text: t };
  for (const [name, enc] of Object.entries(encs)) row[name] = enc.encode_ordinary(t).length;
  out.texts.push(row);
}
for (const c of convs) {
  const row = { messages: c };
  for (const [name, enc] of Object.entries(encs)) row[name] = msgTokens(enc, c);
  out.conversations.push(row);
}
writeFileSync(new URL("../chat/tokens/testdata/reference.json", import.meta.url), JSON.stringify(out, null, 1) + "\n");
console.log("wrote", out.texts.length, "texts and", out.conversations.length, "conversations");
