import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, describeConfig, isInterfaceName, parseAgentConfig } from './parse-agent-config.ts';

describe('parseAgentConfig', () => {
  it.each([undefined, null, {}, { local: {} }, { local: null }])('takes the defaults for %j', (spec) => {
    expect(parseAgentConfig(spec)).toEqual({ ok: true, value: DEFAULT_CONFIG });
  });

  it('reads every field', () => {
    const r = parseAgentConfig({ local: { localint: ' ^(eth|ens)[0-9]+$ ', extlbint: 'purelb0', sendgarp: false } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(describeConfig(r.value)).toBe('localint=^(eth|ens)[0-9]+$ extlbint=purelb0 sendgarp=false');
    expect(r.value.localInterface.kind === 'pattern' && r.value.localInterface.regex.test('ens3')).toBe(true);
  });

  const anyRegexMessage: unknown = expect.stringMatching(
    /^spec\.local\.localint "\(eth" is not a regular expression \(.+\)$/,
  );
  it.each<[unknown, { code: string; path: string; message: unknown }[]]>([
    ['text', [{ code: 'InvalidType', path: 'spec', message: 'spec must be an object' }]],
    [{ local: [] }, [{ code: 'InvalidType', path: 'spec.local', message: 'spec.local must be an object' }]],
    [
      { local: { localint: '(eth', extlbint: 'a/b', sendgarp: 'yes' } },
      [
        { code: 'InvalidPattern', path: 'spec.local.localint', message: anyRegexMessage },
        {
          code: 'InvalidInterfaceName',
          path: 'spec.local.extlbint',
          message:
            'spec.local.extlbint "a/b" is not a Linux interface name (1 to 15 characters, no "/", ":" or whitespace, not "." or "..")',
        },
        {
          code: 'InvalidType',
          path: 'spec.local.sendgarp',
          message: 'spec.local.sendgarp must be true or false, got "yes"',
        },
      ],
    ],
    [
      { local: { localint: '  ' } },
      [
        {
          code: 'InvalidPattern',
          path: 'spec.local.localint',
          message: 'spec.local.localint must be "default" or a regular expression, got an empty string',
        },
      ],
    ],
    [
      { local: { localint: 7, extlbint: 3 } },
      [
        { code: 'InvalidType', path: 'spec.local.localint', message: 'spec.local.localint must be a string, got 7' },
        { code: 'InvalidType', path: 'spec.local.extlbint', message: 'spec.local.extlbint must be a string, got 3' },
      ],
    ],
  ])('reports every problem of %j with its path', (spec, errors) => {
    expect(parseAgentConfig(spec)).toEqual({ ok: false, errors });
  });

  it('quotes a hostile value as a prefix and its length', () => {
    const pattern = `(${'a'.repeat(102_400)}`;
    const r = parseAgentConfig({
      local: { localint: pattern, extlbint: 'x'.repeat(102_400), sendgarp: { deep: 'y'.repeat(102_400) } },
    });
    expect(r.ok).toBe(false);
    const messages = r.ok ? [] : r.errors.map((e) => e.message);
    expect(messages).toHaveLength(3);
    for (const m of messages) expect(m.length).toBeLessThan(400);
    expect(messages[0]).toMatch(
      /^spec\.local\.localint "\(a+…" \(102,401 characters\) is not a regular expression \(.+\)$/,
    );
    expect(messages[1]).toMatch(/^spec\.local\.extlbint "x+…" \(102,400 characters\) is not a Linux interface name/);
    expect(messages[2]).toMatch(
      /^spec\.local\.sendgarp must be true or false, got \{"deep":"y+… \(102,411 characters\)$/,
    );
  });

  it.each([
    ['kube-lb0', true],
    ['fifteen-chars-x', true],
    ['sixteen-chars-xx', false],
    ['', false],
    ['.', false],
    ['..', false],
    ['eth0:1', false],
    ['has space', false],
  ])('interface name %j valid: %s', (name, valid) => {
    expect(isInterfaceName(name)).toBe(valid);
  });
});
