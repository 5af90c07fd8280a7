"""A flagd client in Python (grpcio), as the Python flagd provider talks to flagd: v1/v2 resolves, ResolveAll,
EventStream and SyncFlags. Its messages come from the project's protos compiled into a descriptor set by buf
(Debian's grpc_tools.protoc is protoc 3.5, which predates proto3 `optional` that flagd's v2 protos use); the
calls are grpcio's own multi-callables, which generated stubs wrap.

Usage: flagd_client.py <descriptor set> <evaluation host:port> <sync host:port>
Prints one JSON object per line. After the first message of each stream it prints {"step": "streaming"}
and waits (bounded) for one more message on each: the test deploys a change then.
"""
import json
import sys
import threading

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

TIMEOUT_S = 10


class Service:
    """One gRPC service of the descriptor set: `call(method, **fields)` for unary methods, `stream` for streams."""

    def __init__(self, channel, pool, factory, name):
        self.channel, self.pool, self.factory = channel, pool, factory
        self.service = pool.FindServiceByName(name)

    def _callable(self, method_name, streaming):
        method = self.service.FindMethodByName(method_name)
        request = self.factory.GetPrototype(method.input_type)
        response = self.factory.GetPrototype(method.output_type)
        path = f"/{self.service.full_name}/{method_name}"
        make = self.channel.unary_stream if streaming else self.channel.unary_unary
        return request, make(path, request_serializer=request.SerializeToString,
                             response_deserializer=response.FromString)

    def call(self, method_name, fields):
        request, invoke = self._callable(method_name, streaming=False)
        return invoke(json_format.ParseDict(fields, request()), timeout=TIMEOUT_S)

    def stream(self, method_name, fields):
        request, invoke = self._callable(method_name, streaming=True)
        return invoke(json_format.ParseDict(fields, request()), timeout=3 * TIMEOUT_S)


def emit(**fields):
    print(json.dumps(fields), flush=True)


def as_json(message):
    return json_format.MessageToDict(message, preserving_proto_field_name=False)


def main():
    descriptors = descriptor_pb2.FileDescriptorSet()
    with open(sys.argv[1], "rb") as file:
        descriptors.ParseFromString(file.read())
    pool = descriptor_pool.DescriptorPool()
    for proto in descriptors.file:
        pool.Add(proto)
    factory = message_factory.MessageFactory(pool)
    evaluation = grpc.insecure_channel(sys.argv[2])
    v1 = Service(evaluation, pool, factory, "flagd.evaluation.v1.Service")
    v2 = Service(evaluation, pool, factory, "flagd.evaluation.v2.Service")
    sync = Service(grpc.insecure_channel(sys.argv[3]), pool, factory, "flagd.sync.v1.FlagSyncService")

    emit(call="v1.ResolveBoolean", answer=as_json(v1.call("ResolveBoolean", {"flagKey": "kill-switch"})))
    emit(call="v1.ResolveString",
         answer=as_json(v1.call("ResolveString", {"flagKey": "plan", "context": {"tier": "gold"}})))
    emit(call="v2.ResolveInt", answer=as_json(v2.call("ResolveInt", {"flagKey": "page-size"})))
    emit(call="v2.ResolveObject", answer=as_json(v2.call("ResolveObject", {"flagKey": "layout"})))
    emit(call="v1.ResolveAll", answer=as_json(v1.call("ResolveAll", {"context": {"tier": "gold"}})))
    try:
        v2.call("ResolveBoolean", {"flagKey": "nope"})
        emit(call="v2.ResolveBoolean missing", code="OK")
    except grpc.RpcError as error:
        emit(call="v2.ResolveBoolean missing", code=error.code().name, details=error.details())
    emit(call="sync.FetchAllFlags", answer=as_json(sync.call("FetchAllFlags", {})))

    events = v2.stream("EventStream", {})
    documents = sync.stream("SyncFlags", {})
    emit(stream="EventStream", message=as_json(next(events)))
    emit(stream="SyncFlags", message=as_json(next(documents)))
    emit(step="streaming")

    # The next message of each, read side by side: keep_alive events are skipped.
    def next_event():
        for event in events:
            if event.type != "keep_alive":
                emit(stream="EventStream", message=as_json(event))
                return

    def next_document():
        emit(stream="SyncFlags", message=as_json(next(documents)))

    readers = [threading.Thread(target=next_event), threading.Thread(target=next_document)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(2 * TIMEOUT_S)
    events.cancel()
    documents.cancel()
    emit(step="done")


if __name__ == "__main__":
    main()
