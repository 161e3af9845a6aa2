/** A pack with a follow-up template in English, German and Chinese; `sentOn` is required, `about` a choice. */
export const followUpPackYaml = (slug: string, group: string) => `pack: ${slug}
title: Follow-ups
groups: ["${group}"]
defaultLanguage: en
templates:
  - id: nudge
    kind: follow-up
    title: Follow-up
    fields:
      - {name: about, type: choice, options: [quotation, samples], default: samples}
      - {name: sentOn, type: date, required: true}
    variants:
      en: {subject: "Following up", body: "<p>Dear {{ contact.firstName | default: 'Sir or Madam' }}, about the {{ about }} I sent on {{ sentOn }}: any news?</p>"}
      de: {subject: "Nachfrage", body: "<p>Guten Tag, zu {{ about }} vom {{ sentOn }}: gibt es Neuigkeiten?</p>"}
      zh: {subject: "跟进", body: "<p>您好，关于 {{ sentOn }} 发送的 {{ about }}，请问有进展吗？</p>"}
`;
