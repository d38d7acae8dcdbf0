import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serverNameProblem } from '../../client/src/facility/hub';
import { SpawnProgressParser, type SpawnProgressEvent } from '../../client/src/facility/hubProgress';
import type { Result } from '../../client/src/facility/result';

// The exact bytes JupyterHub 3.0.0 sends on /hub/api/users/bob/server/progress (feasibility.md Q2): the keep-alive
// blank lines first, then one `data:` line per event, each followed by a blank line.
const HUB_STREAM =
  '\n\n' +
  'data: {"progress": 0, "message": "Server requested"}\n\n' +
  'data: {"progress": 50, "message": "Spawning server..."}\n\n' +
  'data: {"progress": 100, "ready": true, "message": "Server ready at /user/bob/", "html_message": "Server ready at <a href=\\"/user/bob/\\">/user/bob/</a>", "url": "/user/bob/"}\n\n';

const HUB_EVENTS: SpawnProgressEvent[] = [
  { progress: 0, message: 'Server requested', ready: false, failed: false },
  { progress: 50, message: 'Spawning server...', ready: false, failed: false },
  {
    progress: 100,
    message: 'Server ready at /user/bob/',
    htmlMessage: 'Server ready at <a href="/user/bob/">/user/bob/</a>',
    ready: true,
    failed: false,
    url: '/user/bob/',
  },
];

/** Feeds the chunks in order and returns every result the parser produced. */
function parse(chunks: (string | Uint8Array)[]): Result<SpawnProgressEvent>[] {
  const parser = new SpawnProgressParser();
  const results = chunks.flatMap((chunk) => parser.push(chunk));
  parser.end();
  return results;
}

function values(results: Result<SpawnProgressEvent>[]): SpawnProgressEvent[] {
  return results.map((r) => {
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    return r.value;
  });
}

describe('the spawn progress parser', () => {
  test('reads the hub’s stream as three events, the last one ready with the server URL', () => {
    assert.deepEqual(values(parse([HUB_STREAM])), HUB_EVENTS);
  });

  test('gives the same events whatever two chunks the stream arrives in', () => {
    for (let cut = 0; cut <= HUB_STREAM.length; cut++) {
      assert.deepEqual(values(parse([HUB_STREAM.slice(0, cut), HUB_STREAM.slice(cut)])), HUB_EVENTS, `cut at ${cut}`);
    }
  });

  test('gives the same events when the bytes come one at a time', () => {
    const bytes = new TextEncoder().encode(HUB_STREAM);
    assert.deepEqual(values(parse([...bytes].map((b) => Uint8Array.of(b)))), HUB_EVENTS);
  });

  test('decodes a UTF-8 character split between chunks', () => {
    const bytes = new TextEncoder().encode('data: {"progress": 10, "message": "Pulling image → node-1"}\n\n');
    const arrow = bytes.indexOf(0xe2);
    const results = parse([bytes.slice(0, arrow + 1), bytes.slice(arrow + 1, arrow + 2), bytes.slice(arrow + 2)]);
    assert.equal(values(results)[0].message, 'Pulling image → node-1');
  });

  test('accepts CRLF and lone CR line ends, also with a CRLF split between chunks', () => {
    const crlf = HUB_STREAM.replace(/\n/g, '\r\n');
    for (let cut = 0; cut <= crlf.length; cut++) {
      assert.deepEqual(values(parse([crlf.slice(0, cut), crlf.slice(cut)])), HUB_EVENTS, `cut at ${cut}`);
    }
    assert.deepEqual(values(parse([HUB_STREAM.replace(/\n/g, '\r')])), HUB_EVENTS);
  });

  test('skips comments, keep-alive blank lines and fields other than data, and joins multi-line data', () => {
    const stream =
      ': connected\n\n\n\n' +
      'event: progress\nid: 1\nretry: 1000\ndata: {"progress": 0,\ndata: "message": "Server requested"}\n\n' +
      '\n\n: keep-alive\n\n' +
      'data:{"progress": 50, "message": "Spawning server..."}\n\n';
    assert.deepEqual(values(parse([stream])), HUB_EVENTS.slice(0, 2));
  });

  test('reads the failure event with the hub’s reason', () => {
    const stream = 'data: {"progress": 100, "failed": true, "message": "Spawn failed: Timeout"}\n\n';
    assert.deepEqual(values(parse([stream])), [
      { progress: 100, message: 'Spawn failed: Timeout', ready: false, failed: true },
    ]);
  });

  test('turns a malformed event into a failure without throwing, and goes on with the next one', () => {
    const stream = 'data: {"progress": 0, "mess\n\ndata: [1, 2]\n\ndata: {"message": "no progress"}\n\n' + HUB_STREAM;
    const results = parse([stream]);
    assert.equal(results.length, 6);
    const failures = results.slice(0, 3).map((r) => (r.ok ? assert.fail('expected a failure') : r.error));
    assert.ok(failures.every((f) => f.kind === 'badResponse'));
    assert.match(
      failures[0].message,
      /^JupyterHub sent a progress event that is not JSON \(it begins "\{"progress": 0/,
    );
    assert.match(failures[1].message, /not an object/);
    assert.match(failures[2].message, /without "progress"/);
    assert.deepEqual(values(results.slice(3)), HUB_EVENTS);
  });

  test('drops an event cut short by the end of the stream', () => {
    assert.deepEqual(parse(['data: {"progress": 0, "message": "Server requested"}\n']), []);
  });

  test('keeps tokens out of messages', () => {
    const stream = 'data: {"progress": 5, "message": "GET /x?token=abc123 authorization: token s3cret"}\n\n';
    const [event] = values(parse([stream]));
    assert.equal(event.message, 'GET /x?token=*** authorization: token ***');
  });
});

describe('server names', () => {
  test('accepts the empty name (the default server) and JupyterHub 6’s names', () => {
    for (const name of ['', 'gpu', 'analysis-2', 'a'.repeat(30)]) assert.equal(serverNameProblem(name), undefined);
  });

  test('refuses what the hub would refuse, saying why', () => {
    assert.match(serverNameProblem('GPU') ?? '', /lowercase letter/);
    assert.match(serverNameProblem('2gpu') ?? '', /starts with a lowercase letter/);
    assert.match(serverNameProblem('my_server') ?? '', /only lowercase letters, digits and hyphens/);
    assert.match(serverNameProblem('gpu/x') ?? '', /only lowercase letters/);
    assert.match(serverNameProblem('a'.repeat(31)) ?? '', /at most 30 characters/);
  });
});
