export { startGateway, type Gateway } from './server.js';
export { configFromEnv, DEFAULT_CONFIG, DEMO_COLLECTION_ACCOUNT, type GatewayConfig, type ProviderSecrets, type LogLevel } from './config.js';
export { paymentCodeCandidates, newPaymentCode, PAYMENT_CODE_ALPHABET } from './payment-code.js';
export { ADAPTERS, PROVIDERS, payosSignature, type Provider, type ProviderAdapter } from './providers.js';
export { signSurveyToken, verifySurveyToken, type SurveyTokenClaims } from './survey-token.js';
export type { ReconciliationReport, SatisfactionReport, SatisfactionGroup } from './reports.js';
export { verifyWebhook, webhookSignatureHeader, WebhookVerificationError, type VerifyWebhookOptions, type WebhookVerificationCode } from './verify-webhook.js';
export { WEBHOOK_EVENT_TYPES, type WebhookEventType, type WebhookEndpoint, type WebhookRetry, type WebhookDelivery, type DeliveryAttempt } from './webhooks.js';
