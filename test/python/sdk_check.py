"""The official Python `openai` package against the gateway, as a customer's code would use it.

Run by test/e2e/python-sdk.test.ts with OPENAI_BASE_URL, OPENAI_API_KEY, CHAT_MODEL and
EMBEDDING_MODEL set. Prints one JSON line per check and exits non-zero if any failed.
"""

import json
import os
import sys
import traceback

import openai
from openai import OpenAI

client = OpenAI(max_retries=0, timeout=120)
chat_model = os.environ["CHAT_MODEL"]
embedding_model = os.environ["EMBEDDING_MODEL"]
results = []


def check(name):
    def run(fn):
        try:
            fn()
            results.append({"check": name, "ok": True})
        except Exception as error:  # noqa: BLE001 - every failure is reported, not raised
            results.append({"check": name, "ok": False, "error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()})
        return fn

    return run


@check("chat non-stream with usage and request id")
def _():
    raw = client.chat.completions.with_raw_response.create(model=chat_model, messages=[{"role": "user", "content": "Hello from Python"}], max_tokens=12)
    completion = raw.parse()
    assert raw.headers["x-request-id"].startswith("req_"), raw.headers
    assert completion.choices[0].message.content, completion
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens
    assert completion.usage.completion_tokens_details.reasoning_tokens == 0


@check("chat stream with include_usage")
def _():
    stream = client.chat.completions.create(model=chat_model, messages=[{"role": "user", "content": "Stream please"}], max_tokens=10, stream=True, stream_options={"include_usage": True})
    text, finishes, usage, ids = "", 0, None, set()
    for chunk in stream:
        ids.add(chunk.id)
        if not chunk.choices:
            usage = chunk.usage
            continue
        text += chunk.choices[0].delta.content or ""
        finishes += 1 if chunk.choices[0].finish_reason else 0
    assert text and finishes == 1 and len(ids) == 1, (text, finishes, ids)
    assert usage is not None and usage.completion_tokens == 10, usage


@check("embeddings: default (base64) equals float")
def _():
    default = client.embeddings.create(model=embedding_model, input=["a cat", "a dog"])
    floats = client.embeddings.create(model=embedding_model, input=["a cat", "a dog"], encoding_format="float")
    assert [d.index for d in default.data] == [0, 1]
    for a, b in zip(default.data, floats.data):
        assert len(a.embedding) == len(b.embedding)
        assert max(abs(x - y) for x, y in zip(a.embedding, b.embedding)) < 1e-6


@check("models list and retrieve")
def _():
    ids = [m.id for m in client.models.list()]
    assert chat_model in ids, ids
    assert client.models.retrieve(chat_model).id == chat_model


@check("errors carry OpenAI's types")
def _():
    try:
        client.chat.completions.create(model="no-such-model:1b", messages=[{"role": "user", "content": "hi"}])
        raise AssertionError("expected NotFoundError")
    except openai.NotFoundError as error:
        assert error.code == "model_not_found", error.code
    try:
        client.chat.completions.create(model=chat_model, messages=[])
        raise AssertionError("expected BadRequestError")
    except openai.BadRequestError as error:
        assert error.body["param"] == "messages", error.body
    try:
        OpenAI(api_key="llm_wrong", max_retries=0).models.list()
        raise AssertionError("expected AuthenticationError")
    except openai.AuthenticationError:
        pass


for result in results:
    print(json.dumps(result))
sys.exit(0 if all(r["ok"] for r in results) else 1)
