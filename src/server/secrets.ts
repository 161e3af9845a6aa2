import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Connector secrets (CRM tokens, webhook signing keys) are stored encrypted with AES-256-GCM
 * under TRADEPANE_SECRET_KEY (32 bytes, base64), which lives in the platform's secret store,
 * never in the database. Dev mode keeps a generated key in the data directory.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
  }

  static fromConfig(base64Key: string | undefined, dataDir: string, devMode: boolean): SecretBox | undefined {
    if (base64Key) {
      const key = Buffer.from(base64Key, 'base64');
      if (key.length !== 32) throw new Error('TRADEPANE_SECRET_KEY: must be 32 bytes, base64-encoded (openssl rand -base64 32)');
      return new SecretBox(key);
    }
    if (!devMode) return undefined;
    const file = join(dataDir, 'dev-secret.key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
    }
    return new SecretBox(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  }

  seal(value: Record<string, string>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }

  open(sealed: string): Record<string, string> {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('sealed secret has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')) as Record<string, string>;
  }
}
