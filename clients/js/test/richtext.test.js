import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRichText, plainText } from '../src/richtext.js';

test('the three canonical elements become nodes, the rest text', () => {
  assert.deepEqual(parseRichText('<font size="12" color="red">hi</font> <img url="https://pic.example.com/1.jpg" /><shake />'), [
    { type: 'font', size: 12, color: 'red', children: [{ type: 'text', text: 'hi' }] },
    { type: 'text', text: ' ' },
    { type: 'img', url: 'https://pic.example.com/1.jpg' },
    { type: 'shake' },
  ]);
});

test('escaped markup stays text: the four entities decode, nothing else does', () => {
  assert.deepEqual(parseRichText('&lt;script&gt;alert(1)&lt;/script&gt; &amp;copy; &quot;q&quot;'), [
    { type: 'text', text: '<script>alert(1)</script> &copy; "q"' },
  ]);
});

test('nested fonts, an unmatched close and an entity in an image url', () => {
  assert.deepEqual(parseRichText('<font color="#ffaa00">a<font size="20">b</font></font></font>'), [
    {
      type: 'font',
      color: '#ffaa00',
      children: [{ type: 'text', text: 'a' }, { type: 'font', size: 20, children: [{ type: 'text', text: 'b' }] }],
    },
    { type: 'text', text: '</font>' },
  ]);
  assert.deepEqual(parseRichText('<img url="https://x.example/a?b=1&amp;c=2" />'), [
    { type: 'img', url: 'https://x.example/a?b=1&c=2' },
  ]);
});

test('plain text for previews', () => {
  assert.equal(plainText('<font>hi</font> <shake /><img url="https://x.example/1.png" />'), 'hi [shake][image]');
});
