import { area } from './area.ts'

// Incident reports, the tracker, subscriptions and alert emails.
export const alertMessages = area({
  en: {
    'nav.reports': 'Incident tracker',
    'nav.alerts': 'Get alerts',
  },
  ko: {
    'nav.reports': '사건 기록',
    'nav.alerts': '알림 받기',
  },
  zh: {
    'nav.reports': '事件追踪',
    'nav.alerts': '接收警报',
  },
})
