"""The official Python `openai` package against the gateway, as a customer's code would use it.

Run by test/e2e/python-sdk.test.ts with OPENAI_BASE_URL, OPENAI_API_KEY, CHAT_MODEL and
EMBEDDING_MODEL set. Prints one JSON line per check and exits non-zero if any failed.
"""

import json
import os
import sys
import time
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


TERMINAL = {"completed", "failed", "expired", "cancelled"}


def upload_jsonl(lines, name="input.jsonl"):
    """Uploads lines (dicts are JSON-encoded, strings go in verbatim) as a purpose=batch file."""
    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    uploaded = client.files.create(file=(name, text.encode()), purpose="batch")
    assert uploaded.id and uploaded.object == "file" and uploaded.purpose == "batch", uploaded
    assert uploaded.bytes == len(text.encode()) and uploaded.filename == name, uploaded
    processed = client.files.wait_for_processing(uploaded.id, poll_interval=0.5, max_wait_seconds=60)
    assert processed.status == "processed", processed
    return processed


def chat_line(custom_id, content="Say hi", url="/v1/chat/completions"):
    return {"custom_id": custom_id, "method": "POST", "url": url, "body": {"model": chat_model, "messages": [{"role": "user", "content": content}], "max_tokens": 8}}


def wait_terminal(batch_id, timeout=120):
    deadline = time.monotonic() + timeout
    batch = client.batches.retrieve(batch_id)
    while batch.status not in TERMINAL and time.monotonic() < deadline:
        time.sleep(0.5)
        batch = client.batches.retrieve(batch_id)
    assert batch.status in TERMINAL, f"batch {batch_id} still {batch.status} after {timeout}s: {batch}"
    return batch


def read_jsonl(file_id):
    text = client.files.content(file_id).text
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@check("batch_round_trip")
def _():
    # A tiny batch first, so that the listing below has at least two batches to page through.
    tiny_file = upload_jsonl([chat_line("tiny-0")], name="tiny.jsonl")
    tiny = client.batches.create(input_file_id=tiny_file.id, endpoint="/v1/chat/completions", completion_window="24h")

    ids = [f"req-{i:02d}" for i in range(12)]
    input_file = upload_jsonl([chat_line(cid, f"Line {cid}: say hi") for cid in ids])
    metadata = {"suite": "sdk_check", "case": "batch_round_trip"}
    created = client.batches.create(input_file_id=input_file.id, endpoint="/v1/chat/completions", completion_window="24h", metadata=metadata)
    assert created.id and created.object == "batch" and created.status == "validating", created
    assert created.input_file_id == input_file.id and created.endpoint == "/v1/chat/completions" and created.completion_window == "24h", created
    assert created.metadata == metadata, created.metadata

    batch = wait_terminal(created.id)
    assert batch.status == "completed", batch
    counts = batch.request_counts
    assert counts is not None and (counts.total, counts.completed, counts.failed) == (12, 12, 0), counts
    assert batch.output_file_id, batch
    assert batch.completed_at and batch.in_progress_at and batch.finalizing_at, batch

    output_file = client.files.retrieve(batch.output_file_id)
    assert output_file.purpose == "batch_output", output_file
    lines = read_jsonl(batch.output_file_id)
    by_id = {}
    for line in lines:
        assert line["custom_id"] not in by_id, f"custom_id {line['custom_id']} appears twice"
        by_id[line["custom_id"]] = line
    assert sorted(by_id) == ids, sorted(by_id)
    for cid, line in by_id.items():
        assert line.get("error") is None, line
        response = line["response"]
        assert response["status_code"] == 200, line
        assert response["body"]["choices"][0]["message"], line

    assert batch.usage is not None and batch.usage.total_tokens > 0, batch.usage

    seen = []
    for listed in client.batches.list(limit=1):
        assert listed.id not in seen, f"{listed.id} listed twice: {seen}"
        seen.append(listed.id)
        if created.id in seen and tiny.id in seen:
            break
    assert created.id in seen and tiny.id in seen and len(seen) >= 2, (created.id, tiny.id, seen)
    wait_terminal(tiny.id)


@check("batch_embeddings")
def _():
    ids = [f"emb-{i}" for i in range(5)]
    lines = [{"custom_id": cid, "method": "POST", "url": "/v1/embeddings", "body": {"model": embedding_model, "input": f"text number {cid}"}} for cid in ids]
    input_file = upload_jsonl(lines, name="embeddings.jsonl")
    created = client.batches.create(input_file_id=input_file.id, endpoint="/v1/embeddings", completion_window="24h")
    assert created.status == "validating", created
    batch = wait_terminal(created.id)
    assert batch.status == "completed", batch
    counts = batch.request_counts
    assert (counts.total, counts.completed, counts.failed) == (5, 5, 0), counts
    by_id = {line["custom_id"]: line for line in read_jsonl(batch.output_file_id)}
    assert sorted(by_id) == ids, sorted(by_id)
    for line in by_id.values():
        assert line.get("error") is None and line["response"]["status_code"] == 200, line
        embedding = line["response"]["body"]["data"][0]["embedding"]
        assert embedding, line


@check("batch_validation_errors")
def _():
    lines = [
        '{"custom_id": "bad-1", "method": "POST", "url": "/v1/chat/completions", "body": {',  # line 1: not JSON
        chat_line("dup"),  # line 2
        chat_line("dup"),  # line 3: duplicate custom_id
        chat_line("wrong-url", url="/v1/embeddings"),  # line 4: url differs from the batch endpoint
    ]
    input_file = upload_jsonl(lines, name="invalid.jsonl")
    created = client.batches.create(input_file_id=input_file.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert created.status == "validating", created
    batch = wait_terminal(created.id)
    assert batch.status == "failed", batch
    assert batch.failed_at, batch
    assert batch.errors is not None and batch.errors.data, batch
    found = {(e.code, e.line) for e in batch.errors.data}
    for expected in [("invalid_json_line", 1), ("duplicate_custom_id", 3), ("url_mismatch", 4)]:
        assert expected in found, (expected, batch.errors.data)


@check("files_api")
def _():
    uploaded = upload_jsonl([chat_line("files-0")], name="files-api.jsonl")
    listed = [f for f in client.files.list(purpose="batch") if f.id == uploaded.id]
    assert len(listed) == 1, f"{uploaded.id} not listed once under purpose=batch: {listed}"
    assert listed[0].purpose == "batch", listed[0]
    retrieved = client.files.retrieve(uploaded.id)
    assert (retrieved.id, retrieved.object, retrieved.bytes, retrieved.filename, retrieved.purpose, retrieved.created_at) == (
        uploaded.id, "file", uploaded.bytes, uploaded.filename, "batch", uploaded.created_at,
    ), (retrieved, uploaded)
    content = client.files.content(uploaded.id).content
    assert json.loads(content.decode())["custom_id"] == "files-0", content
    deleted = client.files.delete(uploaded.id)
    assert deleted.id == uploaded.id and deleted.deleted is True, deleted
    try:
        client.files.retrieve(uploaded.id)
        raise AssertionError("expected NotFoundError after delete")
    except openai.NotFoundError:
        pass


for result in results:
    print(json.dumps(result))
sys.exit(0 if all(r["ok"] for r in results) else 1)
