#!/usr/bin/env Rscript
# Build data/golub.csv, data/golub_samples.csv and data/golub_genes.csv from esGolub in
# Debian's r-cran-nmf (/usr/lib/R/site-library/NMF/data/esGolub.rda): the Golub et al. (1999)
# leukemia data as used by Brunet et al. (2004), the 5000 most varying genes x 38 samples.
#
# Output (genes x samples: W columns are "metagenes", H columns give each sample's mix):
#   golub.csv          header "probe,<38 sample names>"; then 5000 rows: Affymetrix probe id
#                      followed by 38 integer expression values (as stored in esGolub).
#   golub_samples.csv  header "sample,class,all_aml,cell"; class is ALL-B, ALL-T or AML;
#                      cell is B-cell, T-cell or empty (AML).
#   golub_genes.csv    header "probe,description" (the Affymetrix description, quoted).
# Integers are written without decimals; text cells are double-quoted only when they contain a
# comma, quote or line break (RFC 4180, quotes doubled); lines end with "\n".
#
# Usage: Rscript scripts/data/golub.R [OUT_DIR]   (default: data/ next to scripts/)
suppressMessages(library(Biobase))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) >= 1) {
  out_dir <- args[[1]]
} else {
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  out_dir <- file.path(dirname(sub("^--file=", "", file_arg)), "..", "..", "data")
}
load("/usr/lib/R/site-library/NMF/data/esGolub.rda")
x <- exprs(esGolub)
stopifnot(identical(dim(x), c(5000L, 38L)), all(x == round(x)), all(x >= 0))
pd <- pData(esGolub)
cell <- as.character(pd$Cell)
cell[is.na(cell)] <- ""
all_aml <- as.character(pd$ALL.AML)
cls <- ifelse(all_aml == "AML", "AML", ifelse(cell == "B-cell", "ALL-B", "ALL-T"))
desc <- as.character(fData(esGolub)$Description)

csv_cell <- function(s) {
  s <- enc2utf8(as.character(s))
  needs <- grepl("[,\"\r\n]", s)
  s[needs] <- paste0("\"", gsub("\"", "\"\"", s[needs]), "\"")
  s
}
write_lines <- function(lines, name) {
  con <- file(file.path(out_dir, name), open = "wb")
  writeLines(lines, con, sep = "\n", useBytes = TRUE)
  close(con)
}
ints <- matrix(format(as.integer(x), scientific = FALSE, trim = TRUE), nrow = nrow(x))
body <- paste(csv_cell(rownames(x)), apply(ints, 1, paste, collapse = ","), sep = ",")
write_lines(c(paste(c("probe", csv_cell(colnames(x))), collapse = ","), body), "golub.csv")
write_lines(
  c("sample,class,all_aml,cell",
    paste(csv_cell(colnames(x)), cls, all_aml, cell, sep = ",")),
  "golub_samples.csv"
)
write_lines(c("probe,description", paste(csv_cell(rownames(x)), csv_cell(desc), sep = ",")),
  "golub_genes.csv")
cat(sprintf("golub: %d x %d -> %s\n", nrow(x), ncol(x), out_dir))
