import { SilentLogger, SystemClock } from '@flagfleet/core';
import { MemoryDeliveryQueue } from '../queue/memory-delivery-queue';
import { MemoryDeliveryRecords } from '../records/memory-delivery-records';
import { MemorySubscriptionRepository } from '../subscriptions/memory-subscription-repository';
import type { ContractBackend } from '../testing/contract-backend';
import { describeDeliveryQueueContract } from '../testing/delivery-queue.contract';
import { CONTRACT_LOG_LENGTH, describeDeliveryRecordsContract } from '../testing/delivery-records.contract';
import { describeSubscriptionRepositoryContract } from '../testing/subscription-repository.contract';

/** Memory state is the instance: every replica of a namespace is the one instance of it. */
function memory<T>(create: () => T): () => Promise<ContractBackend<T>> {
  return async () => {
    const byNamespace = new Map<string, T>();
    return {
      open: async (namespace) => {
        const instance = byNamespace.get(namespace) ?? create();
        byNamespace.set(namespace, instance);
        return instance;
      },
      teardown: async () => undefined,
    };
  };
}

describeSubscriptionRepositoryContract(
  'memory',
  memory(() => new MemorySubscriptionRepository()),
);
describeDeliveryRecordsContract(
  'memory',
  memory(() => new MemoryDeliveryRecords(CONTRACT_LOG_LENGTH)),
);
describeDeliveryQueueContract(
  'memory',
  memory(() => new MemoryDeliveryQueue(new SilentLogger(), new SystemClock(), 20)),
);
