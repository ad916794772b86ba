/** One error's words: Chinese (shown first) and English, with `{param}` / `{param:noun}` placeholders. */
export interface Words { zh: string, en: string }
