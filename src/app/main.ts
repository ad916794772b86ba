import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { installFieldRowFocus } from './composables/fieldRowFocus'
import { i18n, restoreLocale } from './i18n'
import { router } from './router'
import './styles/theme.css'
import './styles/elder.css'
import './styles/print.css'

// Vant's toast and dialog styles load with the screens that use them, not with the first paint.
const app = createApp(App).use(createPinia()).use(router).use(i18n)
installFieldRowFocus()
void restoreLocale().finally(() => app.mount('#app'))
