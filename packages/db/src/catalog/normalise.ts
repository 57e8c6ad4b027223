/**
 * Upstream model names → public OpenRouter-style `author/model` ids. One generic pipeline for every provider:
 *
 *   1. take the name the upstream API expects, drop a host's account path, split an `org/` prefix off;
 *   2. lowercase it and pull a quantization suffix (`-fp8`, `-bf16`, …) out into the endpoint's `quantization`;
 *   3. apply the REWRITES table, in order (a rule may be limited to some hosts);
 *   4. pick the author: the org prefix if there was one, else the AUTHOR_PREFIXES table, else the host's default.
 *
 * So Groq's `llama-3.3-70b-versatile`, Together's `meta-llama/Llama-3.3-70B-Instruct-Turbo`, Fireworks'
 * `accounts/fireworks/models/llama-v3p3-70b-instruct` and DeepInfra's `meta-llama/Llama-3.3-70B-Instruct` all
 * become `meta-llama/llama-3.3-70b-instruct`: one model, four endpoints. See README.md for adding a rule.
 */

export type Rewrite = { hosts?: readonly string[]; from: RegExp; to: string };

export const REWRITES: readonly Rewrite[] = [
  // ── host spellings and decorations (not part of the model's identity) ──
  { hosts: ["fireworks_ai"], from: /(\d)p(\d)/g, to: "$1.$2" }, // llama-v3p3, qwen2p5, kimi-k2p5
  { hosts: ["fireworks_ai"], from: /-(basic|hf|fast)$/, to: "" }, // cheaper/faster tiers of the same weights
  { hosts: ["together_ai", "deepinfra"], from: /-(turbo|tput)$/, to: "" },
  { hosts: ["groq"], from: /^(llama-3\.\d+-\d+b)-(versatile|instant)$/, to: "$1-instruct" },
  { hosts: ["cerebras"], from: /^llama-?(3\.\d+)-(\d+b)$/, to: "llama-$1-$2-instruct" },
  { hosts: ["cerebras"], from: /^zai-glm-/, to: "glm-" },
  { hosts: ["openrouter"], from: /:(?!free$)[a-z]+$/, to: "" }, // routing variants such as ":exacto"
  { hosts: ["gemini"], from: /^gemini-gemma-/, to: "gemma-" },
  // ── Llama ──
  { from: /^meta-llama-(\d)/, to: "llama-$1" }, // Meta-Llama-3.1-8B-Instruct
  { from: /^llama-v(\d)/, to: "llama-$1" }, // fireworks llama-v3.3-…
  { from: /^llama-?4-(scout|maverick)\b.*$/, to: "llama-4-$1" }, // OpenRouter: meta-llama/llama-4-maverick
  // ── Mistral / Mixtral ──
  { from: /^open-(mistral|mixtral|codestral)/, to: "$1" }, // Mistral's API prefix for open weights
  { hosts: ["mistral"], from: /^(mixtral-8x(?:7|22)b|mistral-7b)$/, to: "$1-instruct" },
  { from: /^(mixtral-8x(?:7|22)b-instruct)-v0\.1$/, to: "$1" },
  { from: /^mistral-nemo-instruct-2407$/, to: "mistral-nemo" },
  { from: /^mistral-small-(?:3-2-2506|3\.2-24b-instruct-2506)$/, to: "mistral-small-3.2-24b-instruct" },
  { from: /^ministral-3-(\d+b)(?:-instruct)?-2512$/, to: "ministral-$1-2512" },
  { from: /^mistral-large-3$/, to: "mistral-large-2512" },
  // ── Gemma ──
  { from: /^gemma(\d)/, to: "gemma-$1" }, // gemma2-9b-it
  // ── Qwen ──
  { from: /^qwen-v?(\d)/, to: "qwen$1" }, // cerebras qwen-3-32b, fireworks qwen-v2.5-14b (re-hyphenated below)
  { from: /^qwen(1\.5|2\.5|2)-/, to: "qwen-$1-" }, // OpenRouter writes qwen-2.5-…, but qwen3-… and qwen3.5-…
  { from: /^qwen3-235b-a22b-instruct-2507$/, to: "qwen3-235b-a22b-2507" },
  { from: /^qwen3-coder-480b(?:-a35b)?-instruct$/, to: "qwen3-coder" },
  // ── DeepSeek ──
  { from: /^deepseek-chat-(v3[.\d-]*)$/, to: "deepseek-$1" }, // OpenRouter deepseek-chat-v3.1 = DeepSeek-V3.1
  // ── Kimi ──
  { from: /^kimi-k2-instruct$/, to: "kimi-k2" },
  { from: /^kimi-k2-instruct-0905$/, to: "kimi-k2-0905" },
  // ── Claude (Anthropic's hyphenated versions; OpenRouter writes claude-sonnet-4.5) ──
  { from: /^claude-4-(opus|sonnet)\b/, to: "claude-$1-4" }, // DeepInfra claude-4-sonnet
  { from: /^(claude-[a-z]+-\d+)\.(\d+)/, to: "$1-$2" },
  { from: /^claude-(\d+)\.(\d+)-/, to: "claude-$1-$2-" },
  { from: /^(claude-.+)-latest$/, to: "$1" },
];

/** Model authors, by the start of the normalised name, first match wins (used when there is no org prefix). */
export const AUTHOR_PREFIXES: readonly (readonly [RegExp, string])[] = [
  [/^(llama-3\.\d-nemotron|nvidia-nemotron|nemotron)/, "nvidia"],
  [/^(llama|codellama)/, "meta-llama"],
  [/^(qwen|qwq)/, "qwen"],
  [/^deepseek/, "deepseek"],
  [/^(mistral|mixtral|ministral|codestral|devstral|magistral|pixtral)/, "mistralai"],
  [/^(gemma|codegemma|gemini)/, "google"],
  [/^(gpt|chatgpt|o\d)/, "openai"],
  [/^kimi/, "moonshotai"],
  [/^glm/, "z-ai"],
  [/^minimax/, "minimax"],
  [/^claude/, "anthropic"],
  [/^grok/, "x-ai"],
  [/^phi-/, "microsoft"],
  [/^mythomax/, "gryphe"],
];

/** Upstream org prefixes whose OpenRouter author differs from the lowercased org. */
const ORG_AUTHORS: Readonly<Record<string, string>> = {
  "deepseek-ai": "deepseek",
  "zai-org": "z-ai",
  togethercomputer: "together",
};

/** Author when neither an org prefix nor AUTHOR_PREFIXES says: the provider's own models, or the host. */
const HOST_AUTHORS: Readonly<Record<string, string>> = {
  gemini: "google",
  mistral: "mistralai",
  xai: "x-ai",
  fireworks_ai: "fireworks",
  together_ai: "together",
};

const QUANTIZATION = /-(fp8|bf16|fp16|fp4|int4|int8)(?=-|$)/;

export type CanonicalModel = { modelId: string; author: string; quantization: string | null };

/** The public model id, author and quantization for a provider's upstream model name. */
export function canonicalModel(providerId: string, providerModelId: string): CanonicalModel {
  const path = providerModelId.replace(/^accounts\/[^/]+\/(models|routers)\//, "");
  const slash = path.lastIndexOf("/");
  const org = slash >= 0 ? path.slice(0, slash).toLowerCase() : null;
  let name = path.slice(slash + 1).toLowerCase();

  let quantization: string | null = null;
  const quantized = QUANTIZATION.exec(name);
  if (quantized?.[1]) {
    quantization = quantized[1];
    name = name.replace(QUANTIZATION, "");
  }
  for (const rule of REWRITES) {
    if (!rule.hosts || rule.hosts.includes(providerId)) name = name.replace(rule.from, rule.to);
  }
  const author =
    (org && (ORG_AUTHORS[org] ?? org)) ??
    AUTHOR_PREFIXES.find(([prefix]) => prefix.test(name))?.[1] ??
    HOST_AUTHORS[providerId] ??
    providerId;
  return { modelId: `${author}/${name}`, author, quantization };
}

const AUTHOR_NAMES: Readonly<Record<string, string>> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  google: "Google",
  "meta-llama": "Meta",
  mistralai: "Mistral",
  deepseek: "DeepSeek",
  "x-ai": "xAI",
  qwen: "Qwen",
  moonshotai: "MoonshotAI",
  "z-ai": "Z.ai",
  minimax: "MiniMax",
  nvidia: "NVIDIA",
  sandbox: "Junction",
};

const WORDS: Readonly<Record<string, string>> = {
  gpt: "GPT",
  oss: "OSS",
  glm: "GLM",
  it: "IT",
  vl: "VL",
  tts: "TTS",
  deepseek: "DeepSeek",
  qwq: "QwQ",
};

/** A display name from an id: "meta-llama/llama-3.3-70b-instruct" → "Meta: Llama 3.3 70B Instruct". */
export function displayName(modelId: string, author: string): string {
  const slug = modelId.slice(modelId.indexOf("/") + 1);
  const words: string[] = [];
  let previous = "";
  for (const word of slug.split("-")) {
    // Versions written with hyphens read as decimals: claude-sonnet-4-5 → "Claude Sonnet 4.5".
    if (/^\d$/.test(word) && /^\d$/.test(previous)) words[words.length - 1] += `.${word}`;
    else if (previous === "gpt")
      words[words.length - 1] += `-${WORDS[word] ?? word}`; // GPT-4o, GPT-OSS
    else if (WORDS[word]) words.push(WORDS[word]);
    else if (/^\d+(\.\d+)?[bmk]$/.test(word)) words.push(word.toUpperCase());
    else words.push(word.charAt(0).toUpperCase() + word.slice(1));
    previous = word;
  }
  const who = AUTHOR_NAMES[author] ?? author.charAt(0).toUpperCase() + author.slice(1);
  return `${who}: ${words.join(" ")}`;
}
