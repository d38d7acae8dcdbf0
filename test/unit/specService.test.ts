import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import { createLanguageService, documentPath } from '../../server/src/language/service';

// The facade the server and the CLI share: LSP diagnostics from documents, dispatched by language and content.
const document = (uri: string, languageId: string, text: string) => TextDocument.create(uri, languageId, 1, text);

describe('the language service facade', () => {
  test('a ServiceX spec gets LSP diagnostics with source, code, severity and editor tags', () => {
    const facility: { codegens?: string[] } = {};
    const service = createLanguageService({ readFile: () => undefined, codegens: () => facility.codegens });
    const spec = document(
      'file:///work/spec.yaml',
      'yaml',
      'Sample:\n  - Name: a\n    RucioDID: user.a:b\n    Query: !UprootRaw \'[{"treename": "t"}]\'\n',
    );
    assert.deepEqual(service.validate(spec), [
      {
        range: { start: { line: 2, character: 4 }, end: { line: 2, character: 12 } },
        severity: DiagnosticSeverity.Warning,
        code: 'spec/deprecated-key',
        source: 'servicex',
        message: 'RucioDID is deprecated: use "Dataset: !Rucio user.a:b" instead.',
        tags: [DiagnosticTag.Deprecated],
      },
    ]);
    // The facility's code generators are read at each validation, so a connection change applies at once.
    facility.codegens = ['uproot'];
    assert.deepEqual(
      service.validate(spec).map((d) => [d.code, d.severity, d.range.start]),
      [
        ['spec/deprecated-key', DiagnosticSeverity.Warning, { line: 2, character: 4 }],
        ['spec/unknown-codegen', DiagnosticSeverity.Error, { line: 3, character: 11 }],
      ],
    );
  });

  test('other YAML is left alone, whatever its name', () => {
    const service = createLanguageService({ readFile: () => undefined });
    const pod = document('file:///work/pod.yaml', 'yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n');
    assert.equal(service.kindOf(pod), 'other');
    assert.deepEqual(service.validate(pod), []);
  });

  test('documents are dispatched by language id or file extension', () => {
    const service = createLanguageService({ readFile: () => undefined });
    assert.equal(service.kindOf(document('file:///q.funcadl', 'plaintext', 'x')), 'funcadl');
    assert.equal(service.kindOf(document('untitled:Untitled-1', 'funcadl', 'x')), 'funcadl');
    assert.equal(service.kindOf(document('file:///q.qastle', 'plaintext', '(call)')), 'qastle');
    assert.equal(service.kindOf(document('file:///s.yml', 'plaintext', 'Sample: []')), 'spec');
    assert.equal(service.kindOf(document('untitled:Untitled-2', 'yaml', 'General: {}')), 'spec');
    assert.equal(service.kindOf(document('file:///notes.txt', 'plaintext', 'Sample: []')), 'other');
    for (const d of [
      document('file:///q.funcadl', 'funcadl', "FromTree('t').Select(lambda e: e)"),
      document('file:///q.qastle', 'qastle', '(call)'),
    ]) {
      assert.ok(Array.isArray(service.validate(d)));
    }
  });

  test('includes are read through the injected reader, relative to the document path', () => {
    const reads: string[] = [];
    const service = createLanguageService({
      readFile: (path) => {
        reads.push(path);
        return '&Q !UprootRaw \'[{"treename": "t"}]\'\n';
      },
    });
    const spec = document(
      'file:///work/specs/main%20spec.yaml',
      'yaml',
      'Definition: [!include ../shared/q.yaml]\nSample:\n  - Name: a\n    Dataset: !Rucio u:a\n    Query: *Q\n',
    );
    assert.deepEqual(service.validate(spec), []);
    assert.deepEqual(reads, ['/work/shared/q.yaml']);
  });

  test('file URIs become paths for POSIX, Windows drives and UNC shares; other schemes have none', () => {
    assert.equal(documentPath('file:///home/jdoe/my%20spec.yaml'), '/home/jdoe/my spec.yaml');
    assert.equal(documentPath('file:///c%3A/Users/jdoe/spec.yaml'), 'c:/Users/jdoe/spec.yaml');
    assert.equal(documentPath('file://server/share/spec.yaml'), '//server/share/spec.yaml');
    assert.equal(documentPath('untitled:Untitled-1'), undefined);
  });
});
