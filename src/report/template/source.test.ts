import { describe, expect, it } from 'vitest';
import { BimoError } from '../../domain/index.ts';
import { expand, parseDirective, readTemplate } from './source.ts';

const FILE = 'reports/test.md';

function error(fn: () => unknown): BimoError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BimoError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('report template source', () => {
  it('reads front matter and keeps the line numbers of the body', () => {
    const src = readTemplate('---\ntitle: Bericht\nsubtitle: Unter\n---\n# Eins\n', FILE);
    expect(src.meta).toEqual({ title: 'Bericht', subtitle: 'Unter', publisher: '' });
    expect(src.lines[4]).toBe('# Eins');
    expect(src.lines.slice(0, 4)).toEqual(['', '', '', '']);
  });

  it('names file, line and column of a broken template, and the fix', () => {
    expect(error(() => readTemplate('# Ohne\n', FILE)).message).toBe(
      'reports/test.md:1:1: the template starts without front matter',
    );
    expect(error(() => readTemplate('---\nsubtitle: x\n---\n', FILE)).message).toMatch(
      /^reports\/test.md:2:1: front matter field title/,
    );
    const bad = error(() => parseDirective('::karte indikator=D6 titel="offen', FILE, 12));
    expect(bad.message).toBe(
      'reports/test.md:12:22: cannot read the arguments of ::karte: "titel="offen"',
    );
    expect(bad.fix).toMatch(/key=value/);
    expect(bad.details).toMatchObject({ file: FILE, line: 12, column: 22 });
  });

  it('reads directives with plain and quoted arguments', () => {
    expect(
      parseDirective('::kennzahlen indikatoren=A1,D6 titel="Auf einen Blick"', FILE, 3),
    ).toEqual({
      name: 'kennzahlen',
      args: { indikatoren: 'A1,D6', titel: 'Auf einen Blick' },
      line: 3,
    });
    expect(parseDirective('Text mit :: darin', FILE, 1)).toBeNull();
    expect(parseDirective(':::für kreis in kreise', FILE, 1)).toBeNull();
  });

  it('expands loops over regions and placeholders, with their template lines', () => {
    const src = readTemplate(
      '---\ntitle: T\n---\n# {{region}}\n:::für kreis in kreise\n## {{kreis.name}} ({{kreis.code}})\n:::\nEnde\n',
      FILE,
    );
    const out = expand(
      src,
      { region: { code: 'r', name: 'Revier' } },
      {
        kreise: [
          { code: '05358', name: 'Düren, Kreis' },
          { code: '05366', name: 'Euskirchen, Kreis' },
        ],
      },
    );
    const text = out.map((l) => l.text).filter(Boolean);
    expect(text).toEqual([
      '# Revier',
      '## Düren, Kreis (05358)',
      '## Euskirchen, Kreis (05366)',
      'Ende',
    ]);
    expect(out.find((l) => l.text.includes('Euskirchen'))?.line).toBe(6);
  });

  it('refuses unknown placeholders, collections and unclosed loops', () => {
    const src = (body: string) => readTemplate(`---\ntitle: T\n---\n${body}`, FILE);
    expect(error(() => expand(src('Hallo {{ort}}'), { region: 'R' }, {})).message).toBe(
      'reports/test.md:4:7: unknown placeholder {{ort}}',
    );
    expect(
      error(() => expand(src('{{Region}} {{region.titel}}'), { region: 'R' }, {})).message,
    ).toBe('reports/test.md:4:1: unknown placeholder {{Region}}');
    expect(error(() => expand(src('Stand {{stand.code}}'), { stand: '1.1.2026' }, {})).fix).toBe(
      'Use one of: {{stand}}.',
    );
    expect(error(() => expand(src(':::für x in schulen\n:::'), {}, { kreise: [] })).message).toBe(
      'reports/test.md:4:13: unknown collection "schulen"',
    );
    expect(
      error(() =>
        expand(src(':::für x in kreise\n:::für y in gemeinden\n:::\n:::'), {}, { kreise: [] }),
      ).message,
    ).toBe(
      'reports/test.md:5:1: loops cannot be nested: ":::für y in gemeinden" inside ":::für x in kreise"',
    );
    expect(error(() => expand(src(':::für x in kreise\nText'), {}, { kreise: [] })).message).toBe(
      'reports/test.md:4:1: the loop ":::für x in kreise" is not closed',
    );
  });
});
