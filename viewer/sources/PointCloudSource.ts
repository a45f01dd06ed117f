/**
 * The point-cloud source interface (Giro3D habit): a source answers what the data is (`getMetadata`), how it is
 * cut into octree nodes (`getHierarchy`) and the decoded points of one node (`getNodeData`). It knows nothing of
 * cameras or budgets; viewer/pointcloud/PointCloudEntity.ts owns traversal and drawing.
 *
 * @example
 * const source = await CopcSource.fromUrl('/data/drive-2023.copc.laz', { pool });
 * const metadata = await source.getMetadata();
 * const hierarchy = await source.getHierarchy();
 * const data = await source.getNodeData({ node: hierarchy.root, signal });
 */
import type { Box3 } from '../../core/copc/key.ts';
import type { NodePoints } from '../../workers/decode-api.ts';

export type { Box3 } from '../../core/copc/key.ts';

/** What a source holds; every coordinate is float64 world (e.g. EPSG:25832 metres, heights m NHN). */
export interface PointCloudMetadata {
  /** The root cube of the octree [minX, minY, minZ, maxX, maxY, maxZ], metres. */
  readonly cube: Box3;
  /** The bounds of the points (from the header), metres. */
  readonly bounds: Box3;
  readonly pointCount: number;
  /** Point spacing at the root level, metres; it halves with every level. */
  readonly spacing: number;
  readonly hasRgb: boolean;
  readonly hasIntensity: boolean;
  readonly hasGpsTime: boolean;
  /** [min, max] GPS time, seconds; the node data's `gpsTime` is relative to the first value. */
  readonly gpsTimeRange?: readonly [number, number];
  readonly crsWkt?: string;
  /** LAS scale and offset: world = integer * scale + offset. */
  readonly scale: readonly [number, number, number];
  readonly offset: readonly [number, number, number];
}

/** One octree node with points. */
export interface PointCloudNode {
  /** COPC voxel key `D-X-Y-Z`. */
  readonly key: string;
  /** Depth in the octree, 0 = root. */
  readonly depth: number;
  readonly pointCount: number;
  /** The node's cell in the root cube, metres, float64 world. */
  readonly bounds: Box3;
  /** Bytes transferred to load the node (compressed size). */
  readonly byteSize: number;
}

/**
 * The octree as far as it is known. COPC stores the hierarchy in pages; children whose entries lie in a page
 * that is not read yet are unknown until {@link PointCloudHierarchy.loadChildren} has run.
 */
export interface PointCloudHierarchy {
  readonly root: PointCloudNode;
  /** A node by key, or undefined when it is unknown (not loaded yet, or without points). */
  findNode(key: string): PointCloudNode | undefined;
  /** The children of a node that have points, or undefined while a hierarchy page holding some is unread. */
  findChildren(node: PointCloudNode): readonly PointCloudNode[] | undefined;
  /** Reads the hierarchy pages needed to answer {@link findChildren} for the node. */
  loadChildren(node: PointCloudNode, signal?: AbortSignal): Promise<void>;
}

/** Options of {@link PointCloudSource.getNodeData}. */
export interface NodeDataRequest {
  readonly node: PointCloudNode;
  /** Aborts the fetch (and drops the decode result) when the node is no longer wanted. */
  readonly signal?: AbortSignal;
  /** Called when the node's bytes have arrived, before decoding (byte counters; a decoding node is not worth aborting). */
  readonly onFetched?: (byteSize: number) => void;
}

/**
 * The decoded points of one node: float32 positions relative to `centre` (computed in float64 from the LAS
 * integers) and the display attributes, plus the LAS integers themselves for float64 picking.
 */
export interface NodeData extends NodePoints {
  readonly key: string;
  /** Compressed bytes fetched for this node. */
  readonly byteSize: number;
}

/** A point-cloud source (one drive or epoch). */
export interface PointCloudSource {
  readonly isPointCloudSource: true;
  /** A stable id, e.g. the URL or file name. */
  readonly id: string;
  /** The name shown to people (the file name). */
  readonly name: string;
  getMetadata(): Promise<PointCloudMetadata>;
  getHierarchy(): Promise<PointCloudHierarchy>;
  getNodeData(request: NodeDataRequest): Promise<NodeData>;
}
