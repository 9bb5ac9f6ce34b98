export { startAnalytics, type Analytics, type AnalyticsOptions } from './consumer.ts';
export { createInterestCounter, interestKey, type InterestCounter } from './interest.ts';
export { createReports, daysQuery, hoursQuery, type Reports } from './reports.ts';
