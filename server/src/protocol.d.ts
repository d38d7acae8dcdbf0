/** Client → server notification: the code generators and title limit of the connected ServiceX, null when none is. */
export declare const FacilityCodegensNotification = "coffeaCasa/facilityCodegens";
/** Parameters of {@link FacilityCodegensNotification}. */
export interface FacilityCodegensParams {
    /** Keys of `code-gen-image` from `GET /servicex`, or null when no facility is connected. */
    readonly codegens: string[] | null;
    /** N of the `long_sample_titles_N` capability; null or absent when the server does not advertise it. */
    readonly maxTitleLength?: number | null;
}
