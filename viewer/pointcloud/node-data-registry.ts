/**
 * Decoded node data shared between the holders of one source: the entity drawing a drive and the change tracker
 * of the other epoch both need its nodes, and neither should fetch a node the other already holds or is loading
 * (the network log must show no node fetched twice while cached).
 */
import type { NodeData, PointCloudSource } from '../sources/PointCloudSource.ts';

/** A holder of decoded nodes of one source. */
export interface NodeDataProvider {
  /** The decoded node, when held. */
  peek(key: string): NodeData | undefined;
  /** A load of the node under way, when there is one (settles when it is done, whatever the outcome). */
  pending(key: string): Promise<unknown> | undefined;
}

const providers = new WeakMap<PointCloudSource, Set<NodeDataProvider>>();

/** Adds a holder of a source's nodes. */
export function registerNodeData(source: PointCloudSource, provider: NodeDataProvider): void {
  let set = providers.get(source);
  if (!set) providers.set(source, (set = new Set()));
  set.add(provider);
}

/** Removes a holder. */
export function unregisterNodeData(source: PointCloudSource, provider: NodeDataProvider): void {
  providers.get(source)?.delete(provider);
}

/** A node of the source held by any other holder, or undefined. */
export function findNodeData(source: PointCloudSource, key: string, except?: NodeDataProvider): NodeData | undefined {
  for (const provider of providers.get(source) ?? []) {
    if (provider === except) continue;
    const data = provider.peek(key);
    if (data) return data;
  }
  return undefined;
}

/**
 * The node's data from another holder, waiting for a load under way there first; undefined when no other holder
 * has or loads it (then the caller fetches).
 */
export async function shareNodeData(source: PointCloudSource, key: string, except: NodeDataProvider): Promise<NodeData | undefined> {
  const held = findNodeData(source, key, except);
  if (held) return held;
  for (const provider of providers.get(source) ?? []) {
    if (provider === except) continue;
    const pending = provider.pending(key);
    if (!pending) continue;
    await pending.catch(() => undefined);
    return findNodeData(source, key, except);
  }
  return undefined;
}
