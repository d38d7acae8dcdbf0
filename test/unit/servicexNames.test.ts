// Result file names: the Python client's shortening and sanitising, and our refusal to leave the download folder.
import * as assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { insideFolder, localFileName, MAX_NAME_LENGTH, shortenedName } from '../../client/src/servicex/fileNames';

// Expected values were produced by running the Python client's rule under /usr/bin/python3:
//   h = sha1(name.encode('utf-8')).hexdigest(); '_' + h + name[-(60 - len(h) - 1):]   (MinioAdapter.hash_path)
//   then .replace('*', '_').replace(';', '_').replace(':', '_')                        (_sanitize_filename)
const PARQUET = 'root___sim-eos.cern.ch__eos_opendata_sim_uproot-HZZ-lzma.root.parquet';
const UNICODE = `données/μμ:${'x'.repeat(50)}événement_ñ.root`;

describe('the Python client shortening rule', () => {
  test('names of up to 60 characters are kept', () => {
    const sixty = 'a'.repeat(MAX_NAME_LENGTH);
    assert.equal(shortenedName(sixty), sixty);
  });

  test('a longer name becomes "_" + sha1 + its last 19 characters', () => {
    assert.equal(shortenedName(PARQUET), '_3e42226ba6f060f303d6334e781790957c9e3c52Z-lzma.root.parquet');
    assert.equal(shortenedName('a'.repeat(61)).length, 60);
  });

  test('lengths count code points, as Python does, and the hash is of the UTF-8 bytes', () => {
    assert.equal(localFileName(UNICODE, true), '_95e68aa92ba5bf6537bb0522b110a52a0108a55fxxxévénement_ñ.root');
  });
});

describe('local file names', () => {
  test('the characters the Python client replaces are replaced', () => {
    assert.equal(localFileName('a:b*c;d.root', false), 'a_b_c_d.root');
  });

  test('path traversal and absolute names become plain names', () => {
    assert.equal(localFileName('../../.bashrc', true), '.._.._.bashrc');
    assert.equal(localFileName('/etc/cron.d/evil', true), '_etc_cron.d_evil');
    assert.equal(localFileName('C:\\Windows\\evil.dll', false), 'C__Windows_evil.dll');
    assert.equal(localFileName('..', false), '_..');
    assert.equal(localFileName('.', false), '_.');
    assert.equal(localFileName('', false), '_');
    assert.equal(localFileName('a\u0000b\nc', false), 'a_b_c');
  });

  test('without shortening a long name is kept whole', () => {
    assert.equal(localFileName(PARQUET, false), PARQUET);
  });
});

describe('the folder guard', () => {
  const folder = '/data/results';

  test('a plain name, even one starting with dots, stays inside', () => {
    assert.equal(insideFolder(folder, '.._.._.bashrc'), join(resolve(folder), '.._.._.bashrc'));
    assert.equal(insideFolder(folder, 'file.root'), join(resolve(folder), 'file.root'));
  });

  test('anything that resolves elsewhere, or into a subfolder, is refused', () => {
    for (const name of ['../x', '..', '', '.', '/etc/passwd', 'a/b', 'a/../../b']) {
      assert.equal(insideFolder(folder, name), undefined, name);
    }
  });
});
