// The default bound of every sidecar test and hook that sets none of its own (jest's is 5 s).
jest.setTimeout(30_000);
