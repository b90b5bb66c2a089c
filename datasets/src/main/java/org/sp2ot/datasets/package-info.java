/**
 * Data sets for sp2ot: recipes that turn raw data on any Hadoop file system into the {@code manifest} table
 * ({@link org.sp2ot.datasets.Cifar100Lt}, {@link org.sp2ot.datasets.ImagenetR},
 * {@link org.sp2ot.datasets.INaturalist2018}, {@link org.sp2ot.datasets.ImageFolder}), feature tables extracted
 * elsewhere ({@link org.sp2ot.datasets.FeatureTable}), the synthetic long-tailed demo set
 * ({@link org.sp2ot.datasets.SyntheticLongTail}), the per-class profile shared with evaluation
 * ({@link org.sp2ot.datasets.LongTailProfile}) and the entry point behind {@code sp2ot manifest}
 * ({@link org.sp2ot.datasets.ManifestBuilder}). Table contracts: {@link org.sp2ot.datasets.Manifests}.
 */
package org.sp2ot.datasets;
