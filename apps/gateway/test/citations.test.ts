import type Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { type Answer, data, either, event, scriptedHarness } from "./scripted-upstream.js";

/**
 * The sources search models cite, carried to the client as each route says them: Perplexity's `citations` and
 * `search_results`, OpenAI's and OpenRouter's `url_citation` annotations, Claude's text-block `citations`. Every
 * answer is scripted as the real host sends it, buffered and streamed.
 */
const scripted = scriptedHarness((url) => ({
  PERPLEXITY_API_KEY: "pplx-upstream",
  PERPLEXITY_BASE_URL: url,
}));
const { answers } = scripted;
const harness = () => scripted.harness;
const hello = [{ role: "user" as const, content: "What is the capital of France?" }];

const usage = { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 };
const urls = ["https://en.wikipedia.org/wiki/Paris", "https://www.britannica.com/place/Paris"];
const searchResults = [
  { title: "Paris - Wikipedia", url: urls[0], date: "2026-01-02" },
  { title: "Paris | Britannica", url: urls[1], date: null },
];
const answerText = "Paris is the capital of France [1][2].";

/**
 * Perplexity's answer: its sources top-level, on the completion and on every chunk (usage on every chunk too); `late`
 * (its images and related questions, when asked for) on the completion and the stream's last chunk only.
 */
function perplexityAnswer(late: object = {}) {
  const sources = { citations: urls, search_results: searchResults };
  const chunk = (delta: object, finish: string | null, more: object = {}) =>
    data({
      id: "pplx-1",
      model: "sonar",
      created: 1,
      usage,
      ...sources,
      ...more,
      object: "chat.completion.chunk",
      choices: [{ index: 0, finish_reason: finish, delta }],
    });
  return either(
    [
      chunk({ role: "assistant", content: "Paris is the capital" }, null),
      chunk({ content: " of France [1][2]." }, null),
      chunk({ content: "" }, "stop", late),
      "data: [DONE]\n\n",
    ],
    {
      id: "pplx-1",
      model: "sonar",
      object: "chat.completion",
      created: 1,
      usage,
      ...sources,
      ...late,
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: answerText } }],
    },
  );
}

/** An answer that keeps the request body the upstream got. */
const recording =
  (bodies: Record<string, unknown>[], answer: Answer): Answer =>
  (response, request, body) => {
    bodies.push(JSON.parse(body));
    return answer(response, request, body);
  };

/** Perplexity's images and related questions, as it answers `return_images` and `return_related_questions`. */
const images = [
  {
    image_url: "https://example.com/eiffel.jpg",
    origin_url: "https://example.com/paris",
    height: 800,
    width: 600,
  },
];
const related = {
  images,
  related_questions: ["What is the population of Paris?", "Why is Paris the capital?"],
};
const searchOptions = {
  return_images: true,
  return_related_questions: true,
  search_domain_filter: ["wikipedia.org"],
  search_recency_filter: "month",
};

const annotations = [
  {
    type: "url_citation",
    url_citation: { url: urls[0], title: "Paris - Wikipedia", start_index: 0, end_index: 5 },
  },
  {
    type: "url_citation",
    url_citation: { url: urls[1], title: "Paris | Britannica", start_index: 6, end_index: 37 },
  },
];

/** An OpenAI search model's answer: `message.annotations`, streamed in a delta of their own after the text. */
function searchModelAnswer() {
  const chunk = (delta: object, finish: string | null = null) =>
    data({
      id: "chatcmpl-s",
      object: "chat.completion.chunk",
      created: 1,
      model: "gpt-4o-search-preview",
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
  return either(
    [
      chunk({ role: "assistant", content: "" }),
      chunk({ content: "Paris" }),
      chunk({ content: " is the capital of France [1][2]." }),
      chunk({ annotations }),
      chunk({}, "stop"),
      data({ id: "chatcmpl-s", object: "chat.completion.chunk", created: 1, choices: [], usage }),
      "data: [DONE]\n\n",
    ],
    {
      id: "chatcmpl-s",
      object: "chat.completion",
      created: 1,
      model: "gpt-4o-search-preview",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: answerText, refusal: null, annotations },
          finish_reason: "stop",
        },
      ],
      usage,
    },
  );
}

/** The chunks of a Chat Completions stream, as the OpenAI SDK yields them (unknown fields kept). */
async function chunksOf(model: string) {
  const stream = await harness().openai().chat.completions.create({ model, messages: hello, stream: true });
  const chunks: Record<string, unknown>[] = [];
  for await (const chunk of stream) chunks.push(chunk as unknown as Record<string, unknown>);
  return chunks;
}

describe("POST /v1/chat/completions", () => {
  it("passes on Perplexity's citations and search_results, buffered", async () => {
    answers.push(perplexityAnswer());
    const completion = await harness()
      .openai()
      .chat.completions.create({ model: "perplexity/sonar", messages: hello });
    expect(completion.choices[0]?.message.content).toBe(answerText);
    expect(completion).toMatchObject({ citations: urls, search_results: searchResults });
  });

  it("passes on Perplexity's citations and search_results, streamed: on a chunk of the answer and its last", async () => {
    answers.push(perplexityAnswer());
    const chunks = await chunksOf("perplexity/sonar");
    const text = chunks
      .map((chunk) => (chunk.choices as { delta: { content?: string } }[])[0]?.delta.content ?? "")
      .join("");
    expect(text).toBe(answerText);
    const first = chunks.find((chunk) => chunk.citations);
    expect(first).toMatchObject({ citations: urls, search_results: searchResults });
    const finish = chunks.find((chunk) =>
      (chunk.choices as { finish_reason: string | null }[])[0]?.finish_reason?.startsWith("stop"),
    );
    expect(finish).toMatchObject({ citations: urls, search_results: searchResults });
  });

  it("asks Perplexity for images and related questions as the client did, and passes them on, buffered and streamed", async () => {
    const bodies: Record<string, unknown>[] = [];
    answers.push(recording(bodies, perplexityAnswer(related)), recording(bodies, perplexityAnswer(related)));
    const params = { model: "perplexity/sonar", messages: hello, ...searchOptions };
    const completion = await harness().openai().chat.completions.create(params);
    expect(completion).toMatchObject({ citations: urls, ...related });

    const stream = await harness()
      .openai()
      .chat.completions.create({ ...params, stream: true });
    const chunks: Record<string, unknown>[] = [];
    for await (const chunk of stream) chunks.push(chunk as unknown as Record<string, unknown>);
    expect(chunks.find((chunk) => chunk.images)).toMatchObject({ citations: urls, ...related });
    expect(chunks.at(-1)).toMatchObject(related);
    for (const body of bodies) expect(body).toMatchObject(searchOptions);
  });

  it("sends Perplexity's search options to Perplexity only", async () => {
    const bodies: Record<string, unknown>[] = [];
    answers.push(recording(bodies, searchModelAnswer()));
    await harness()
      .openai()
      .chat.completions.create({ model: "openai/gpt-4o-search-preview", messages: hello, ...searchOptions });
    expect(bodies).toHaveLength(1);
    for (const field of Object.keys(searchOptions)) expect(bodies[0]).not.toHaveProperty(field);
  });

  it("passes on an OpenAI search model's url_citation annotations, buffered", async () => {
    answers.push(searchModelAnswer());
    const completion = await harness()
      .openai()
      .chat.completions.create({ model: "openai/gpt-4o-search-preview", messages: hello });
    expect(completion.choices[0]?.message).toMatchObject({ content: answerText, annotations });
  });

  it("passes on annotations streamed in a delta of their own", async () => {
    answers.push(searchModelAnswer());
    const chunks = await chunksOf("openai/gpt-4o-search-preview");
    const streamed = chunks.flatMap(
      (chunk) => (chunk.choices as { delta: { annotations?: unknown[] } }[])[0]?.delta.annotations ?? [],
    );
    expect(streamed).toEqual(annotations);
  });
});

/** Responses' url_citation: flat, with the offsets into the output text. */
const flat = annotations.map(({ url_citation: citation }) => ({ type: "url_citation", ...citation }));

describe("POST /v1/responses", () => {
  it("gives output_text the search model's url_citation annotations, buffered and streamed", async () => {
    answers.push(searchModelAnswer(), searchModelAnswer());
    const params = { model: "openai/gpt-4o-search-preview", input: "What is the capital of France?" };
    const whole = await harness().openai().responses.create(params);
    const text = whole.output.find((item) => item.type === "message")?.content[0];
    expect(text).toMatchObject({ type: "output_text", text: answerText, annotations: flat });

    const stream = await harness()
      .openai()
      .responses.create({ ...params, stream: true });
    const added: unknown[] = [];
    let completed: unknown;
    for await (const streamed of stream) {
      if (streamed.type === "response.output_text.annotation.added") {
        expect(streamed).toMatchObject({ content_index: 0, annotation_index: added.length });
        added.push(streamed.annotation);
      }
      if (streamed.type === "response.completed") completed = streamed.response;
    }
    expect(added).toEqual(flat);
    const final = (completed as typeof whole).output.find((item) => item.type === "message")?.content[0];
    expect(final).toMatchObject({ text: answerText, annotations: flat });
  });

  it("gives output_text Perplexity's search results as url_citation annotations", async () => {
    answers.push(perplexityAnswer(), perplexityAnswer());
    const cited = searchResults.map(({ title, url }) => ({
      type: "url_citation",
      url,
      title,
      start_index: 0,
      end_index: 0,
    }));
    const params = { model: "perplexity/sonar", input: "What is the capital of France?" };
    const whole = await harness().openai().responses.create(params);
    const text = whole.output.find((item) => item.type === "message")?.content[0];
    expect(text).toMatchObject({ text: answerText, annotations: cited });

    const stream = await harness()
      .openai()
      .responses.create({ ...params, stream: true });
    let completed: unknown;
    for await (const streamed of stream)
      if (streamed.type === "response.completed") completed = streamed.response;
    const final = (completed as typeof whole).output.find((item) => item.type === "message")?.content[0];
    expect(final).toMatchObject({ text: answerText, annotations: cited });
  });
});

describe("POST /v1/messages to Claude", () => {
  const document = {
    type: "document" as const,
    source: {
      type: "text" as const,
      media_type: "text/plain" as const,
      data: "The grass is green. The sky is blue.",
    },
    title: "Colours",
    context: "A trustworthy document.",
    citations: { enabled: true },
  };
  const pdf = {
    type: "document" as const,
    source: { type: "base64" as const, media_type: "application/pdf" as const, data: "JVBERi0xLjQK" },
    citations: { enabled: true },
  };
  const ask: Anthropic.MessageCreateParamsNonStreaming = {
    model: "anthropic/claude-sonnet-4-5",
    max_tokens: 200,
    messages: [
      {
        role: "user",
        content: [document, pdf, { type: "text", text: "What colour is the grass, and the sky?" }],
      },
    ],
  };
  const grass = {
    type: "char_location",
    cited_text: "The grass is green. ",
    document_index: 0,
    document_title: "Colours",
    start_char_index: 0,
    end_char_index: 20,
  };
  const sky = {
    type: "page_location",
    cited_text: "The sky is blue.",
    document_index: 1,
    document_title: null,
    start_page_number: 1,
    end_page_number: 2,
  };
  /** Claude's answer: a text block per run of cited text, its citations on it. */
  const content = [
    { type: "text", text: "According to the documents, " },
    { type: "text", text: "the grass is green", citations: [grass] },
    { type: "text", text: " and " },
    { type: "text", text: "the sky is blue", citations: [sky] },
    { type: "text", text: "." },
  ];
  const message = {
    id: "msg_c",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5",
    stop_sequence: null,
  };
  const claudeUsage = { input_tokens: 60, output_tokens: 25 };
  /** Streamed as Anthropic does: a block's citations_delta before its text (Anthropic's docs show one after it). */
  const claudeAnswer = either(
    [
      event("message_start", {
        message: { ...message, content: [], stop_reason: null, usage: { ...claudeUsage, output_tokens: 1 } },
      }),
      ...content.flatMap((block, index) => {
        const citations = (block.citations ?? []).map((citation) =>
          event("content_block_delta", { index, delta: { type: "citations_delta", citation } }),
        );
        const text = event("content_block_delta", { index, delta: { type: "text_delta", text: block.text } });
        return [
          event("content_block_start", {
            index,
            content_block: { type: "text", text: "", ...(block.citations && { citations: [] }) },
          }),
          ...(index === 3 ? [text, ...citations] : [...citations, text]),
          event("content_block_stop", { index }),
        ];
      }),
      event("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: claudeUsage }),
      event("message_stop", {}),
    ],
    { ...message, content, stop_reason: "end_turn", usage: claudeUsage },
  );

  it("asks Claude for citations as the client did, and gives back its cited text blocks, buffered and streamed", async () => {
    const bodies: string[] = [];
    const kept: Answer = (response, request, body) => {
      bodies.push(body);
      return claudeAnswer(response, request, body);
    };
    answers.push(kept, kept);
    const whole = await harness().anthropic().messages.create(ask);
    const sent = JSON.parse(bodies[0] ?? "{}") as { messages: { content: unknown[] }[] };
    expect(sent.messages[0]?.content).toEqual(ask.messages[0]?.content);
    expect(whole.content).toEqual(content);

    const stream = harness().anthropic().messages.stream(ask);
    const seen: unknown[] = [];
    stream.on("citation", (citation) => seen.push(citation));
    const final = await stream.finalMessage();
    expect(final.content).toEqual(content);
    expect(seen).toEqual([grass, sky]);
  });

  it("sends another model the documents' content without Claude's settings (OpenAI refuses fields it does not know)", async () => {
    const bodies: string[] = [];
    answers.push((response, _request, body) => {
      bodies.push(body);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          id: "chatcmpl-d",
          object: "chat.completion",
          created: 1,
          model: "gpt-4o-mini",
          choices: [
            { index: 0, message: { role: "assistant", content: "Green; blue." }, finish_reason: "stop" },
          ],
          usage,
        }),
      );
    });
    const answer = await harness()
      .anthropic()
      .messages.create({ ...ask, model: "openai/gpt-4o-mini" });
    expect(answer.content).toEqual([{ type: "text", text: "Green; blue." }]);
    const sent = JSON.parse(bodies[0] ?? "{}") as { messages: unknown[] };
    expect(sent.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: document.source.data },
          { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0xLjQK" } },
          { type: "text", text: "What colour is the grass, and the sky?" },
        ],
      },
    ]);
  });
});
