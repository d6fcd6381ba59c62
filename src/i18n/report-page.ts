import { area } from './area.ts'

// Issue 16 (reach): a page per published report, and the links to it from the tracker and emails.
export const reportPageMessages = area({
  en: {
    'report.page.facts': 'About this report',
    'report.page.published': 'Published',
    'report.page.retractedOn': 'Retracted',
    'report.page.retractedNote':
      'This report was retracted. It stays here with its correction and is not counted in the totals.',
    'report.page.campaign': 'Related campaign',
    'report.page.all': 'All reports on the tracker',
    'report.page.open': 'Open the page of this report',
    'mail.alert.report': 'Read this report',
  },
  ko: {
    'report.page.facts': '보고 정보',
    'report.page.published': '게시일',
    'report.page.retractedOn': '철회일',
    'report.page.retractedNote': '철회된 보고입니다. 정정 내용과 함께 남겨 두며 합계에는 들어가지 않습니다.',
    'report.page.campaign': '관련 캠페인',
    'report.page.all': '사건 기록의 모든 보고',
    'report.page.open': '이 보고의 페이지 열기',
    'mail.alert.report': '이 보고 읽기',
  },
  zh: {
    'report.page.facts': '关于这份报告',
    'report.page.published': '发布日期',
    'report.page.retractedOn': '撤回日期',
    'report.page.retractedNote': '这份报告已被撤回。它连同更正保留在这里，不计入总数。',
    'report.page.campaign': '相关行动',
    'report.page.all': '事件追踪中的所有报告',
    'report.page.open': '打开这份报告的页面',
    'mail.alert.report': '阅读这份报告',
  },
})
