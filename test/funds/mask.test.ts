// Masked names stay short: a person still recognises their own, a long
// company name is not a long row of asterisks, and no length is given away.
import { maskName } from '../../cloudfunctions/core/domain/mask';

test.each([
  ['张三', '*三'],
  ['王小明', '**明'],
  ['欧阳娜娜', '***娜'],
  ['深圳市示例茶叶有限公司', '深**'],
  ['Shenzhen Demo Tea Co., Ltd.', 'S**'],
  ['Zhang San', 'Z**'],
  ['张San', '张**'],
  ['Li', 'L**'],
  ['张', '*'],
  ['', '*'],
])('%j is shown as %j', (name, masked) => {
  expect(maskName(name)).toBe(masked);
});

test('never longer than four characters, whatever the name', () => {
  for (const name of ['A'.repeat(128), '测'.repeat(64), '𠮷野家株式会社'])
    expect([...maskName(name)].length).toBeLessThanOrEqual(4);
});
