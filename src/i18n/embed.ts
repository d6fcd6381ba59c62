import { area } from './area.ts'

// Issue 16 (reach): a campaign's form embedded on a partner's site, and the console's part of it.
export const embedMessages = area({
  en: {
    'embed.readMore': 'Read the whole campaign (opens a new tab)',
    'embed.back': 'Back to the petition',
    'error.embedOrigin':
      'List origins such as https://partner.example: http or https, a host and an optional port, nothing else; at most 20.',
    'console.field.embedOrigins': 'Sites that may embed the form',
    'console.campaign.embedOriginsHint':
      'One origin per line, such as https://partner.example. Only pages of these sites can show the form in a frame; leave empty for none.',
    'console.embed.heading': 'Embed the form on another site',
    'console.embed.hint': 'Paste this code into a page of one of the sites listed in the campaign’s settings.',
    'console.embed.snippet': 'Code to paste',
    'console.embed.origins': 'Sites allowed',
    'console.embed.none': 'No site may embed the form yet: list origins when you edit the campaign.',
  },
  ko: {
    'embed.readMore': '캠페인 전체 읽기 (새 탭에서 열림)',
    'embed.back': '청원으로 돌아가기',
    'error.embedOrigin':
      'https://partner.example 처럼 출처를 적으세요. http 또는 https, 호스트, 선택적인 포트만 쓸 수 있으며 최대 20개입니다.',
    'console.field.embedOrigins': '양식을 넣을 수 있는 사이트',
    'console.campaign.embedOriginsHint':
      '한 줄에 출처 하나씩, 예: https://partner.example. 이 사이트의 페이지만 양식을 프레임에 표시할 수 있습니다. 비워 두면 아무 사이트도 할 수 없습니다.',
    'console.embed.heading': '다른 사이트에 양식 넣기',
    'console.embed.hint': '캠페인 설정에 적힌 사이트의 페이지에 이 코드를 붙여 넣으세요.',
    'console.embed.snippet': '붙여 넣을 코드',
    'console.embed.origins': '허용된 사이트',
    'console.embed.none': '아직 양식을 넣을 수 있는 사이트가 없습니다. 캠페인을 편집할 때 출처를 적으세요.',
  },
  zh: {
    'embed.readMore': '阅读完整的行动（在新标签页中打开）',
    'embed.back': '返回请愿',
    'error.embedOrigin':
      '请填写如 https://partner.example 的来源：只能是 http 或 https、主机名和可选的端口；最多 20 个。',
    'console.field.embedOrigins': '可以嵌入表单的网站',
    'console.campaign.embedOriginsHint':
      '每行一个来源，例如 https://partner.example。只有这些网站的页面能在框架中显示表单；留空则任何网站都不能。',
    'console.embed.heading': '在其他网站嵌入表单',
    'console.embed.hint': '把这段代码粘贴到行动设置中所列网站的页面上。',
    'console.embed.snippet': '要粘贴的代码',
    'console.embed.origins': '允许的网站',
    'console.embed.none': '还没有网站可以嵌入表单：编辑行动时填写来源。',
  },
})
