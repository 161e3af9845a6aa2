import { describe, expect, it } from '@jest/globals';
import { messageIdList, parseAddressList } from '../../src/core/mail/headers.js';

describe('parseAddressList', () => {
  it.each([
    ['bare address, lower-cased', 'Li.Wei@Buyer.Example', [{ address: 'li.wei@buyer.example' }]],
    ['display name and angle address', 'Li Wei <li@b.example>', [{ address: 'li@b.example', name: 'Li Wei' }]],
    ['a comma inside a quoted name does not split', '"Müller, Hans" <hans@b.de>, bob@c.example', [{ address: 'hans@b.de', name: 'Müller, Hans' }, { address: 'bob@c.example' }]],
    ['escaped quote inside a quoted name', '"Ann \\"AJ\\" Jones" <ann@x.example>', [{ address: 'ann@x.example', name: 'Ann "AJ" Jones' }]],
    ['old comment form gives the name', 'bob@c.example (Bob Smith)', [{ address: 'bob@c.example', name: 'Bob Smith' }]],
    ['a name that is the address is no name', '"ann@x.example" <ann@x.example>', [{ address: 'ann@x.example' }]],
    ['group syntax yields its members', 'Buyers: a@x.example, "B" <b@y.example>;', [{ address: 'a@x.example' }, { address: 'b@y.example', name: 'B' }]],
    ['undisclosed recipients and junk are dropped', 'undisclosed-recipients:;, not an address, <>', []],
    ['folded header lines', 'Li Wei\r\n <li@b.example>,\r\n\tbob@c.example', [{ address: 'li@b.example', name: 'Li Wei' }, { address: 'bob@c.example' }]],
    ['CJK display name', '王芳 <wang.fang@exmail.example.cn>', [{ address: 'wang.fang@exmail.example.cn', name: '王芳' }]],
  ])('%s', (_what, value, expected) => {
    expect(parseAddressList(value)).toEqual(expected);
  });

  it('nothing in, nothing out', () => {
    expect(parseAddressList(null)).toEqual([]);
    expect(parseAddressList('')).toEqual([]);
  });
});

describe('messageIdList', () => {
  it('keeps the ids with their brackets, in order, across folded lines', () => {
    expect(messageIdList('<a@x>\r\n <b@y>  <c@z>')).toEqual(['<a@x>', '<b@y>', '<c@z>']);
  });
  it('takes bare ids (some mailers drop the brackets) but not words', () => {
    expect(messageIdList('a@x b@y')).toEqual(['a@x', 'b@y']);
    expect(messageIdList('(lost)')).toEqual([]);
    expect(messageIdList(undefined)).toEqual([]);
  });
});
