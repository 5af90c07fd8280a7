/** The module's options (ChangeDeliveryOptions) and the `webhooks` child logger, for backend factories. */
export const DELIVERY_OPTIONS = Symbol('CHANGE_DELIVERY_OPTIONS');
export const DELIVERY_LOGGER = Symbol('CHANGE_DELIVERY_LOGGER');
/** The backend's DeliveryStorage, before it is split into its abstract-class tokens. */
export const DELIVERY_STORAGE = Symbol('CHANGE_DELIVERY_STORAGE');
