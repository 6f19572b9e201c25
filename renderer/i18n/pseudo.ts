/** The pseudo-locale: accented letters and about 40 % more length, keeping {{placeholders}} and <tags> intact. */
const ACCENTED: Record<string, string> = {
  a: 'á', e: 'ë', i: 'ï', o: 'ö', u: 'ü', c: 'ç', n: 'ñ', y: 'ý', A: 'Å', E: 'É', I: 'Î', O: 'Ø', U: 'Û', C: 'Ç', N: 'Ñ',
};

export function pseudoLocalise(s: string): string {
  let out = '';
  let extra = 0;
  // split into placeholders ({{x}}, <0>...</0> tags) and plain text
  for (const part of s.split(/(\{\{[^}]+\}\}|<\/?\d+>)/)) {
    if (/^(\{\{[^}]+\}\}|<\/?\d+>)$/.test(part)) { out += part; continue; }
    for (const ch of part) {
      out += ACCENTED[ch] ?? ch;
      if (/[aeiouAEIOU]/.test(ch)) { out += ACCENTED[ch] ?? ch; extra++; }
    }
  }
  return extra === 0 && s.length > 0 ? `[${out}~]` : `[${out}]`;
}
