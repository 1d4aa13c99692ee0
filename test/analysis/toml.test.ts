import { describe, expect, it } from 'vitest';
import { parseToml, TomlError } from '../../server/analysis/toml.ts';

describe('parseToml', () => {
  it('reads a pyproject with poetry tables, arrays and inline tables', () => {
    const doc = parseToml(`
[project]
name = "shop-api"
dependencies = [
  "fastapi>=0.110",   # web
  'uvicorn[standard]',
]

[tool.poetry.dependencies]
python = "^3.12"
django = { version = "^5.0", extras = ["argon2"] }

[tool."quoted key"]
x.y = 1
`) as any;
    expect(doc.project.name).toBe('shop-api');
    expect(doc.project.dependencies).toEqual(['fastapi>=0.110', 'uvicorn[standard]']);
    expect(doc.tool.poetry.dependencies.django).toEqual({ version: '^5.0', extras: ['argon2'] });
    expect(doc.tool['quoted key'].x.y).toBe(1);
  });

  it('reads Cargo workspaces, arrays of tables and scalars', () => {
    const doc = parseToml(`[workspace]
members = ["crates/*", "api"]

[[bin]]
name = "server"
path = "src/main.rs"

[[bin]]
name = "worker"

[package]
version = "0.1.0"
edition = 2021
flag = true
big = 1_000
float = 3.5e2
date = 1979-05-27T07:32:00Z
lit = 'C:\\path'
multi = """
two
lines"""
`) as any;
    expect(doc.workspace.members).toEqual(['crates/*', 'api']);
    expect(doc.bin.map((b: any) => b.name)).toEqual(['server', 'worker']);
    expect(doc.package).toMatchObject({
      edition: 2021,
      flag: true,
      big: 1000,
      float: 350,
      date: '1979-05-27T07:32:00Z',
      lit: 'C:\\path',
      multi: 'two\nlines',
    });
  });

  it('gives ordinary objects and dates as written, so detectors can String() and compare them', () => {
    const doc = parseToml(
      `dep = { version = "1" }\nlocal = 1979-05-27\nat = 07:32:00\noff = 1979-05-27T07:32:00-08:00\n`,
    );
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(String(doc.dep)).toBe('[object Object]');
    expect(doc).toEqual({
      dep: { version: '1' },
      local: '1979-05-27',
      at: '07:32:00',
      off: '1979-05-27T07:32:00-08:00',
    });
    expect(Object.keys(parseToml('__proto__ = 1\n'))).toEqual(['__proto__']);
  });

  it('reads a BOM, CRLF, trailing commas and escapes', () => {
    expect(parseToml('\uFEFFa = [\r\n  "x",\r\n]\r\nb = "\\u00e9\\t"\r\n')).toEqual({ a: ['x'], b: '\u00e9\t' });
  });

  it('throws TomlError on broken input', () => {
    expect(() => parseToml('[a]\nx = 1\n[a]\ny = 2\n')).toThrow(TomlError);
    expect(() => parseToml('a = "x"\na = "y"\n')).toThrow(/^line 2: /);
    expect(() => parseToml('a = \n')).toThrow(TomlError);
    expect(() => parseToml('[a\n')).toThrow(TomlError);
    expect(() => parseToml('a = "x"\na = "y"\n')).toThrow(TomlError);
    expect(() => parseToml('a = "unterminated\n')).toThrow(TomlError);
    expect(() => parseToml('a = [1, 2\n')).toThrow(TomlError);
  });
});
