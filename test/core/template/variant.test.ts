import { describe, expect, it } from '@jest/globals';
import { countryCode, matchLanguage } from '../../../src/core/template/index.js';


describe('matchLanguage', () => {
  it('matches exactly, then by base language, the plain variant first', () => {
    expect(matchLanguage('pt-BR', ['en', 'pt', 'pt-BR'])).toBe('pt-BR');
    expect(matchLanguage('pt-PT', ['en', 'pt-BR', 'pt'])).toBe('pt');
    expect(matchLanguage('pt-PT', ['en', 'pt-BR'])).toBe('pt-BR');
    expect(matchLanguage('es', ['en', 'es-419'])).toBe('es-419');
    expect(matchLanguage('fr', ['en', 'es'])).toBeUndefined();
    expect(matchLanguage('', ['en'])).toBeUndefined();
  });
});

describe('countryCode', () => {
  it('reads codes, English names and common short names', () => {
    expect(countryCode('br')).toBe('BR');
    expect(countryCode('Brazil')).toBe('BR');
    expect(countryCode('KSA')).toBe('SA');
    expect(countryCode('Narnia')).toBeUndefined();
  });
});
