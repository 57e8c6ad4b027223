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

export function quickstartSnippets(gatewayUrl: string): Snippet[] {
  const { openai, anthropic } = sdkBaseUrls(gatewayUrl);
  return [
    {
      id: "curl",
      label: "cURL",
      title: "Terminal",
      language: "bash",
      code: `curl ${openai}/chat/completions \\
  -H "Authorization: Bearer $JUNCTION_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{
    "model": "${QUICKSTART_MODEL}",
    "messages": [{ "role": "user", "content": "Hello, Junction!" }]
  }'`,
    },
    {
      id: "openai-ts",
      label: "OpenAI · TypeScript",
      title: "index.ts — npm install openai",
      language: "typescript",
      code: `import OpenAI from "openai";

const client = new OpenAI({
  baseURL: "${openai}",
  apiKey: process.env.JUNCTION_API_KEY,
});

const completion = await client.chat.completions.create({
  model: "${QUICKSTART_MODEL}",
  messages: [{ role: "user", content: "Hello, Junction!" }],
});

console.log(completion.choices[0]?.message.content);`,
    },
    {
      id: "openai-python",
      label: "OpenAI · Python",
      title: "main.py — pip install openai",
      language: "python",
      code: `import os
from openai import OpenAI

client = OpenAI(
    base_url="${openai}",
    api_key=os.environ["JUNCTION_API_KEY"],
)

completion = client.chat.completions.create(
    model="${QUICKSTART_MODEL}",
    messages=[{"role": "user", "content": "Hello, Junction!"}],
)

print(completion.choices[0].message.content)`,
    },
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
  return [
    {
      id: "curl",
      label: "cURL",
      title: "Terminal",
      language: "bash",
      code: `curl ${openai}/chat/completions \\
  -H "Authorization: Bearer ${apiKey}" \\
  -H "Content-Type: application/json" \\
  -d '{
    "model": "${QUICKSTART_MODEL}",
    "messages": [{ "role": "user", "content": "Hello, Junction!" }]
  }'`,
    },
    {
      id: "openai-ts",
      label: "OpenAI · TypeScript",
      title: "index.ts",
      language: "typescript",
      code: `import OpenAI from "openai";

const client = new OpenAI({
  baseURL: "${openai}",
  apiKey: "${apiKey}",
});

const completion = await client.chat.completions.create({
  model: "${QUICKSTART_MODEL}",
  messages: [{ role: "user", content: "Hello, Junction!" }],
});

console.log(completion.choices[0]?.message.content);`,
    },
    {
      id: "openai-python",
      label: "OpenAI · Python",
      title: "main.py",
      language: "python",
      code: `from openai import OpenAI

client = OpenAI(
    base_url="${openai}",
    api_key="${apiKey}",
)

completion = client.chat.completions.create(
    model="${QUICKSTART_MODEL}",
    messages=[{"role": "user", "content": "Hello, Junction!"}],
)

print(completion.choices[0].message.content)`,
    },
  ];
}
