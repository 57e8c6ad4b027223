import type { CodeLanguage } from "@junction/ui";

/** Placeholder model served by the built-in sandbox provider: works with zero provider keys. */
export const QUICKSTART_MODEL = "sandbox/junction-small";

export interface Snippet {
  id: string;
  label: string;
  title: string;
  language: CodeLanguage;
  code: string;
}

/** OpenAI-compatible clients take the `/v1` base; the Anthropic SDK appends `/v1/messages` itself. */
export function sdkBaseUrls(gatewayUrl: string): { openai: string; anthropic: string } {
  return { openai: `${gatewayUrl}/v1`, anthropic: gatewayUrl };
}

/** How each snippet supplies the API key: an environment variable, or a freshly created key written in. */
interface KeySource {
  curlToken: string;
  tsApiKey: string;
  pythonImports: string;
  pythonApiKey: string;
}

function curlSnippet(openai: string, key: KeySource): Snippet {
  return {
    id: "curl",
    label: "cURL",
    title: "Terminal",
    language: "bash",
    code: `curl ${openai}/chat/completions \\
  -H "Authorization: Bearer ${key.curlToken}" \\
  -H "Content-Type: application/json" \\
  -d '{
    "model": "${QUICKSTART_MODEL}",
    "messages": [{ "role": "user", "content": "Hello, Junction!" }]
  }'`,
  };
}

function openaiTsSnippet(openai: string, key: KeySource, title: string): Snippet {
  return {
    id: "openai-ts",
    label: "OpenAI · TypeScript",
    title,
    language: "typescript",
    code: `import OpenAI from "openai";

const client = new OpenAI({
  baseURL: "${openai}",
  apiKey: ${key.tsApiKey},
});

const completion = await client.chat.completions.create({
  model: "${QUICKSTART_MODEL}",
  messages: [{ role: "user", content: "Hello, Junction!" }],
});

console.log(completion.choices[0]?.message.content);`,
  };
}

function openaiPythonSnippet(openai: string, key: KeySource, title: string): Snippet {
  return {
    id: "openai-python",
    label: "OpenAI · Python",
    title,
    language: "python",
    code: `${key.pythonImports}from openai import OpenAI

client = OpenAI(
    base_url="${openai}",
    api_key=${key.pythonApiKey},
)

completion = client.chat.completions.create(
    model="${QUICKSTART_MODEL}",
    messages=[{"role": "user", "content": "Hello, Junction!"}],
)

print(completion.choices[0].message.content)`,
  };
}

const ENV_KEY: KeySource = {
  curlToken: "$JUNCTION_API_KEY",
  tsApiKey: "process.env.JUNCTION_API_KEY",
  pythonImports: "import os\n",
  pythonApiKey: 'os.environ["JUNCTION_API_KEY"]',
};

export function quickstartSnippets(gatewayUrl: string): Snippet[] {
  const { openai, anthropic } = sdkBaseUrls(gatewayUrl);
  return [
    curlSnippet(openai, ENV_KEY),
    openaiTsSnippet(openai, ENV_KEY, "index.ts — npm install openai"),
    openaiPythonSnippet(openai, ENV_KEY, "main.py — pip install openai"),
    {
      id: "anthropic-ts",
      label: "Anthropic · TypeScript",
      title: "messages.ts — npm install @anthropic-ai/sdk",
      language: "typescript",
      code: `import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({
  baseURL: "${anthropic}",
  apiKey: process.env.JUNCTION_API_KEY,
});

const message = await client.messages.create({
  model: "${QUICKSTART_MODEL}",
  max_tokens: 256,
  messages: [{ role: "user", content: "Hello, Junction!" }],
});

console.log(message.content);`,
    },
  ];
}

/** Ready-to-run snippets with a freshly created key written in (shown once, next to the key). */
export function keySnippets(gatewayUrl: string, apiKey: string): Snippet[] {
  const { openai } = sdkBaseUrls(gatewayUrl);
  const key: KeySource = {
    curlToken: apiKey,
    tsApiKey: `"${apiKey}"`,
    pythonImports: "",
    pythonApiKey: `"${apiKey}"`,
  };
  return [
    curlSnippet(openai, key),
    openaiTsSnippet(openai, key, "index.ts"),
    openaiPythonSnippet(openai, key, "main.py"),
  ];
}
