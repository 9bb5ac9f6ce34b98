export { startNotifications, type Notifications, type NotificationsOptions } from './consumer.ts';
