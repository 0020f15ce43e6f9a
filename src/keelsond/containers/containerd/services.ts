import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { Containers } from "./gen/github.com/containerd/containerd/api/services/containers/v1/containers_pb";
import { Content } from "./gen/github.com/containerd/containerd/api/services/content/v1/content_pb";
import { Diff } from "./gen/github.com/containerd/containerd/api/services/diff/v1/diff_pb";
import { Images } from "./gen/github.com/containerd/containerd/api/services/images/v1/images_pb";
import { Introspection } from "./gen/github.com/containerd/containerd/api/services/introspection/v1/introspection_pb";
import { Leases } from "./gen/github.com/containerd/containerd/api/services/leases/v1/leases_pb";
import { Namespaces } from "./gen/github.com/containerd/containerd/api/services/namespaces/v1/namespace_pb";
import { Snapshots } from "./gen/github.com/containerd/containerd/api/services/snapshots/v1/snapshots_pb";
import { Tasks } from "./gen/github.com/containerd/containerd/api/services/tasks/v1/tasks_pb";
import { Version } from "./gen/github.com/containerd/containerd/api/services/version/v1/version_pb";

/** Typed clients for the containerd services Keelson uses, all on one transport. */
export interface ContainerdServices {
  containers: Client<typeof Containers>;
  content: Client<typeof Content>;
  diff: Client<typeof Diff>;
  images: Client<typeof Images>;
  introspection: Client<typeof Introspection>;
  leases: Client<typeof Leases>;
  namespaces: Client<typeof Namespaces>;
  snapshots: Client<typeof Snapshots>;
  tasks: Client<typeof Tasks>;
  version: Client<typeof Version>;
}

export function containerdServices(transport: Transport): ContainerdServices {
  return {
    containers: createClient(Containers, transport),
    content: createClient(Content, transport),
    diff: createClient(Diff, transport),
    images: createClient(Images, transport),
    introspection: createClient(Introspection, transport),
    leases: createClient(Leases, transport),
    namespaces: createClient(Namespaces, transport),
    snapshots: createClient(Snapshots, transport),
    tasks: createClient(Tasks, transport),
    version: createClient(Version, transport),
  };
}
