import { describe, expect, it } from 'vitest';
import { inlineMarkdown, markdown } from './markdown.ts';

describe('markdown', () => {
  it('marks up code and bold, and escapes everything else', () => {
    expect(inlineMarkdown('**Errors** share `{"error": <x>}` & <b>more</b>').value).toBe(
      '<strong>Errors</strong> share <code>{&quot;error&quot;: &lt;x&gt;}</code> &amp; &lt;b&gt;more&lt;/b&gt;',
    );
    expect(inlineMarkdown('no **bold in `**code**`**').value).toBe(
      'no **bold in <code>**code**</code>**',
    );
  });

  it('makes paragraphs and lists, continuation lines joining their item', () => {
    const out = markdown(
      'One\nparagraph.\n\n- a `b`\n  more of a\n- **c**\n\n<script>x</script>',
    ).value;
    expect(out.replace(/>\s+</g, '><')).toBe(
      '<p>One paragraph.</p><ul><li>a <code>b</code> more of a</li><li><strong>c</strong></li></ul><p>&lt;script&gt;x&lt;/script&gt;</p>',
    );
  });
});
