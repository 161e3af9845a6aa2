// Run in a fresh process by the client-time section: prints ms from import to the first answer.
const t0 = performance.now();
const { slotFor } = await import('../../src/core/clienttime/index.js');
slotFor({ email: 'buyer@company.com.sa', now: new Date('2026-11-27T07:00:00Z') });
console.log((performance.now() - t0).toFixed(2));
