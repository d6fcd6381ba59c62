import { area } from './area.ts'

// Issue 16 (reach): share cards and share links.
export const shareMessages = area({
  en: {
    'share.card.first': 'Be the first to sign',
    'share.card.count': '{count} people have signed',
    'share.card.goal': 'Goal: {goal} signatures',
    'share.text': 'Sign the petition: {title}',
    'share.more': 'More ways to share',
    'share.title': 'Share: {title}',
    'share.apps': 'Send it through an app',
    'share.leaves':
      'Each link opens that service’s own page with the message filled in; nothing is sent to it until you follow one.',
    'share.native': 'Share with an app on this device',
    'share.copy': 'Copy the link',
    'share.copied': 'Link copied.',
    'share.email': 'Email',
    'share.weibo': 'Weibo',
  },
  ko: {
    'share.card.first': '첫 번째 서명자가 되어 주세요',
    'share.card.count': '{count}명이 서명했습니다',
    'share.card.goal': '목표 {goal}명',
    'share.text': '청원에 서명해 주세요: {title}',
    'share.more': '다른 방법으로 공유하기',
    'share.title': '공유하기: {title}',
    'share.apps': '앱으로 보내기',
    'share.leaves':
      '각 링크는 메시지가 채워진 해당 서비스의 페이지를 엽니다. 링크를 누르기 전에는 아무것도 보내지 않습니다.',
    'share.native': '이 기기의 앱으로 공유하기',
    'share.copy': '링크 복사',
    'share.copied': '링크를 복사했습니다.',
    'share.email': '이메일',
    'share.weibo': '웨이보',
  },
  zh: {
    'share.card.first': '成为第一位签名者',
    'share.card.count': '已有 {count} 人签名',
    'share.card.goal': '目标：{goal} 人',
    'share.text': '请签署请愿：{title}',
    'share.more': '更多分享方式',
    'share.title': '分享：{title}',
    'share.apps': '通过应用发送',
    'share.leaves': '每个链接会打开该服务自己的页面并填好消息；在您点击之前，不会向其发送任何内容。',
    'share.native': '用本设备上的应用分享',
    'share.copy': '复制链接',
    'share.copied': '链接已复制。',
    'share.email': '电子邮件',
    'share.weibo': '微博',
  },
})
