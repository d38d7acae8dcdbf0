// Custom messages between the extension and the ServiceX language server. The client imports this file; keep each
// message a constant with its parameter type next to it.

/** Client → server notification: the code generators and title limit of the connected ServiceX, null when none is. */
export const FacilityCodegensNotification = 'coffeaCasa/facilityCodegens';

/** Parameters of {@link FacilityCodegensNotification}. */
export interface FacilityCodegensParams {
  /** Keys of `code-gen-image` from `GET /servicex`, or null when no facility is connected. */
  readonly codegens: string[] | null;
  /** N of the `long_sample_titles_N` capability; null or absent when the server does not advertise it. */
  readonly maxTitleLength?: number | null;
}

/** Client → server notification: the sample file whose columns are offered as branch names, null when none is set. */
export const SampleFileNotification = 'coffeaCasa/sampleFile';

/** Parameters of {@link SampleFileNotification}. */
export interface SampleFileParams {
  /** Absolute path of the sample file (the client resolves `~` and workspace-relative paths), or null. */
  readonly path: string | null;
}

/** Command that the server's "Show qastle" code lenses carry, with arguments `[uri, offset]`; the client runs it. */
export const ShowQastleCommand = 'coffeaCasa.showQastle';

/** The client command the Deliver lenses run: `[specUri, sampleNames?]`; all samples when no names are given. */
export const DeliverSpecCommand = 'coffeaCasa.deliverSpec';

/** Client → server request: the formatted qastle of the `!FuncADL_Uproot` query (or `.funcadl` file) at an offset. */
export const ShowQastleRequest = 'coffeaCasa/showQastle';

/** Parameters of {@link ShowQastleRequest}: the arguments of the lens's command. */
export interface ShowQastleParams {
  readonly uri: string;
  /** The offset the lens carries, anywhere in the query or on its tag. */
  readonly offset: number;
}

/** Result of {@link ShowQastleRequest}: the qastle the ServiceX client would send, or why the query does not translate. */
export type ShowQastleResult = { readonly qastle: string } | { readonly error: string };
