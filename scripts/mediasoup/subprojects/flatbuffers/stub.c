/* Placeholder so the link_whole library the worker names has a source file. */
int tandem_mediasoup_stub_flatbuffers;
