;; SIMD (f64x2) kernels for nmflab's portable backend: two matrix-product micro-kernels and the
;; projected Gauss–Seidel sweep of HALS / coordinate descent.
;;
;; Source of linalg/kernels_wasm.ts; rebuild with `deno run -A scripts/build_wasm.ts`.
;; Both kernels ADD the product into C (C is zeroed or scaled by the caller) and need the
;; caller to pad the operands with zeros to whole tiles. All pointers are byte offsets into the
;; imported memory; all leading dimensions are in elements (f64).
;;
;; The memory is imported so that several instances (the main thread and worker threads) can share
;; one: the build writes two binaries from this text, one importing a shared memory (threads) and
;; one importing an ordinary memory (where SharedArrayBuffer is unavailable). The kernels only read
;; their operands and write their own block of C, so calls over disjoint blocks of C may run at the
;; same time.
;;
;; kernelTN: C[i, j] += Σ_p At[p, i] · B[p, j]    (At is k×m, B is k×n; tiles of 4 i × 4 j)
;;   m and n multiples of 4. Vectorized along j: B[p, j:j+4] is two f64x2 loads, each At[p, i+r]
;;   is splatted; 8 f64x2 accumulators. The inner dimension is blocked by 256 so the B strip of a
;;   column tile stays in L1 while every row tile sweeps it.
;;
;; kernelNT: C[i, j] += Σ_p A[i, p] · Bt[j, p]    (A is m×k, Bt is n×k; tiles of 2 i × 4 j)
;;   m a multiple of 2, n of 4, k even. Vectorized along p (both operands contiguous there);
;;   8 f64x2 accumulators hold pairs of partial sums, added together at the end of a block.
(module
  (import "env" "memory" (memory 1 32768 shared))

  (func (export "kernelTN")
    (param $at i32) (param $b i32) (param $c i32)
    (param $m i32) (param $n i32) (param $k i32)
    (param $lda i32) (param $ldb i32) (param $ldc i32)
    (local $pc i32) (local $kb i32) (local $i i32) (local $j i32) (local $p i32)
    (local $pa i32) (local $pb i32) (local $pcc i32) (local $sa i32) (local $sb i32) (local $sc i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $sa (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $sb (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $sc (i32.shl (local.get $ldc) (i32.const 3)))
    (local.set $pc (i32.const 0))
    (block $done_pc
      (loop $loop_pc
        (br_if $done_pc (i32.ge_s (local.get $pc) (local.get $k)))
        (local.set $kb (i32.sub (local.get $k) (local.get $pc)))
        (if (i32.gt_s (local.get $kb) (i32.const 256)) (then (local.set $kb (i32.const 256))))
        (local.set $j (i32.const 0))
        (block $done_j
          (loop $loop_j
            (br_if $done_j (i32.ge_s (local.get $j) (local.get $n)))
            (local.set $i (i32.const 0))
            (block $done_i
              (loop $loop_i
                (br_if $done_i (i32.ge_s (local.get $i) (local.get $m)))
                (local.set $c00 (v128.const i64x2 0 0)) (local.set $c01 (v128.const i64x2 0 0))
                (local.set $c10 (v128.const i64x2 0 0)) (local.set $c11 (v128.const i64x2 0 0))
                (local.set $c20 (v128.const i64x2 0 0)) (local.set $c21 (v128.const i64x2 0 0))
                (local.set $c30 (v128.const i64x2 0 0)) (local.set $c31 (v128.const i64x2 0 0))
                ;; pa = at + 8 (pc·lda + i), pb = b + 8 (pc·ldb + j)
                (local.set $pa (i32.add (local.get $at) (i32.shl
                  (i32.add (i32.mul (local.get $pc) (local.get $lda)) (local.get $i)) (i32.const 3))))
                (local.set $pb (i32.add (local.get $b) (i32.shl
                  (i32.add (i32.mul (local.get $pc) (local.get $ldb)) (local.get $j)) (i32.const 3))))
                (local.set $p (local.get $kb))
                (loop $loop_p
                  (local.set $b0 (v128.load (local.get $pb)))
                  (local.set $b1 (v128.load offset=16 (local.get $pb)))
                  (local.set $x (v128.load64_splat (local.get $pa)))
                  (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
                  (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
                  (local.set $x (v128.load64_splat offset=8 (local.get $pa)))
                  (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
                  (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
                  (local.set $x (v128.load64_splat offset=16 (local.get $pa)))
                  (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
                  (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
                  (local.set $x (v128.load64_splat offset=24 (local.get $pa)))
                  (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
                  (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
                  (local.set $pa (i32.add (local.get $pa) (local.get $sa)))
                  (local.set $pb (i32.add (local.get $pb) (local.get $sb)))
                  (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                  (br_if $loop_p (i32.gt_s (local.get $p) (i32.const 0))))
                ;; C[i + r, j : j + 4] += acc
                (local.set $pcc (i32.add (local.get $c) (i32.shl
                  (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 3))))
                (v128.store (local.get $pcc) (f64x2.add (v128.load (local.get $pcc)) (local.get $c00)))
                (v128.store offset=16 (local.get $pcc)
                  (f64x2.add (v128.load offset=16 (local.get $pcc)) (local.get $c01)))
                (local.set $pcc (i32.add (local.get $pcc) (local.get $sc)))
                (v128.store (local.get $pcc) (f64x2.add (v128.load (local.get $pcc)) (local.get $c10)))
                (v128.store offset=16 (local.get $pcc)
                  (f64x2.add (v128.load offset=16 (local.get $pcc)) (local.get $c11)))
                (local.set $pcc (i32.add (local.get $pcc) (local.get $sc)))
                (v128.store (local.get $pcc) (f64x2.add (v128.load (local.get $pcc)) (local.get $c20)))
                (v128.store offset=16 (local.get $pcc)
                  (f64x2.add (v128.load offset=16 (local.get $pcc)) (local.get $c21)))
                (local.set $pcc (i32.add (local.get $pcc) (local.get $sc)))
                (v128.store (local.get $pcc) (f64x2.add (v128.load (local.get $pcc)) (local.get $c30)))
                (v128.store offset=16 (local.get $pcc)
                  (f64x2.add (v128.load offset=16 (local.get $pcc)) (local.get $c31)))
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $loop_i)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $loop_j)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 256)))
        (br $loop_pc))))

  (func (export "kernelNT")
    (param $a i32) (param $bt i32) (param $c i32)
    (param $m i32) (param $n i32) (param $k i32)
    (param $lda i32) (param $ldb i32) (param $ldc i32)
    (local $pc i32) (local $kbytes i32) (local $i i32) (local $j i32) (local $q i32)
    (local $pa0 i32) (local $pa1 i32) (local $pb0 i32) (local $pb1 i32) (local $pb2 i32)
    (local $pb3 i32) (local $sa i32) (local $sb i32) (local $pcc i32)
    (local $x0 v128) (local $x1 v128) (local $y v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local.set $sa (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $sb (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $pc (i32.const 0))
    (block $done_pc
      (loop $loop_pc
        (br_if $done_pc (i32.ge_s (local.get $pc) (local.get $k)))
        ;; block length in bytes: min(256, k − pc) · 8
        (local.set $kbytes (i32.sub (local.get $k) (local.get $pc)))
        (if (i32.gt_s (local.get $kbytes) (i32.const 256)) (then (local.set $kbytes (i32.const 256))))
        (local.set $kbytes (i32.shl (local.get $kbytes) (i32.const 3)))
        (local.set $i (i32.const 0))
        (block $done_i
          (loop $loop_i
            (br_if $done_i (i32.ge_s (local.get $i) (local.get $m)))
            (local.set $pa0 (i32.add (local.get $a) (i32.shl
              (i32.add (i32.mul (local.get $i) (local.get $lda)) (local.get $pc)) (i32.const 3))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $sa)))
            (local.set $j (i32.const 0))
            (block $done_j
              (loop $loop_j
                (br_if $done_j (i32.ge_s (local.get $j) (local.get $n)))
                (local.set $pb0 (i32.add (local.get $bt) (i32.shl
                  (i32.add (i32.mul (local.get $j) (local.get $ldb)) (local.get $pc)) (i32.const 3))))
                (local.set $pb1 (i32.add (local.get $pb0) (local.get $sb)))
                (local.set $pb2 (i32.add (local.get $pb1) (local.get $sb)))
                (local.set $pb3 (i32.add (local.get $pb2) (local.get $sb)))
                (local.set $c00 (v128.const i64x2 0 0)) (local.set $c01 (v128.const i64x2 0 0))
                (local.set $c02 (v128.const i64x2 0 0)) (local.set $c03 (v128.const i64x2 0 0))
                (local.set $c10 (v128.const i64x2 0 0)) (local.set $c11 (v128.const i64x2 0 0))
                (local.set $c12 (v128.const i64x2 0 0)) (local.set $c13 (v128.const i64x2 0 0))
                (local.set $q (i32.const 0))
                (loop $loop_p
                  (local.set $x0 (v128.load (i32.add (local.get $pa0) (local.get $q))))
                  (local.set $x1 (v128.load (i32.add (local.get $pa1) (local.get $q))))
                  (local.set $y (v128.load (i32.add (local.get $pb0) (local.get $q))))
                  (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x0) (local.get $y))))
                  (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x1) (local.get $y))))
                  (local.set $y (v128.load (i32.add (local.get $pb1) (local.get $q))))
                  (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x0) (local.get $y))))
                  (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x1) (local.get $y))))
                  (local.set $y (v128.load (i32.add (local.get $pb2) (local.get $q))))
                  (local.set $c02 (f64x2.add (local.get $c02) (f64x2.mul (local.get $x0) (local.get $y))))
                  (local.set $c12 (f64x2.add (local.get $c12) (f64x2.mul (local.get $x1) (local.get $y))))
                  (local.set $y (v128.load (i32.add (local.get $pb3) (local.get $q))))
                  (local.set $c03 (f64x2.add (local.get $c03) (f64x2.mul (local.get $x0) (local.get $y))))
                  (local.set $c13 (f64x2.add (local.get $c13) (f64x2.mul (local.get $x1) (local.get $y))))
                  (local.set $q (i32.add (local.get $q) (i32.const 16)))
                  (br_if $loop_p (i32.lt_s (local.get $q) (local.get $kbytes))))
                ;; C[i + r, j + c] += both lanes of acc rc
                (local.set $pcc (i32.add (local.get $c) (i32.shl
                  (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 3))))
                (call $addPair (local.get $pcc) (local.get $c00) (local.get $c01))
                (call $addPair (i32.add (local.get $pcc) (i32.const 16)) (local.get $c02) (local.get $c03))
                (local.set $pcc (i32.add (local.get $pcc) (i32.shl (local.get $ldc) (i32.const 3))))
                (call $addPair (local.get $pcc) (local.get $c10) (local.get $c11))
                (call $addPair (i32.add (local.get $pcc) (i32.const 16)) (local.get $c12) (local.get $c13))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $loop_j)))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $loop_i)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 256)))
        (br $loop_pc))))

  ;; mem[p : p + 2] += (u0 + u1, v0 + v1): the horizontal sums of two accumulators.
  (func $addPair (param $p i32) (param $u v128) (param $v v128)
    (v128.store (local.get $p)
      (f64x2.add (v128.load (local.get $p))
        (f64x2.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $u) (local.get $v))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $u) (local.get $v))))))

  ;; cdSweep: one projected Gauss–Seidel sweep over the rows of X (k × ld) for the nonnegative
  ;; quadratic program min ½⟨X, QX⟩ − ⟨C, X⟩, X ≥ 0, restricted to the columns [j0, j1):
  ;;   for a = 0 … k−1:  r = C_a − Σ_{b≠a} Q_ab X_b;  X_a ← max(0, r / Q_aa)  (Q_aa > 0)
  ;;                     X_aj ← 0 where r_j < 0       (Q_aa ≤ 0: a dead row, linear objective)
  ;; and stores Σ (ΔX)² over those columns at `out`. Columns are independent, so they are done in
  ;; blocks of 128 (the block of X stays in L1) two at a time (f64x2). j0, j1 and ld are even;
  ;; `row` is a work vector indexed like the columns of X.
  (func (export "cdSweep")
    (param $x i32) (param $q i32) (param $cc i32) (param $row i32) (param $k i32)
    (param $j0 i32) (param $j1 i32) (param $ld i32) (param $out i32)
    (local $jb i32) (local $je i32) (local $a i32) (local $b i32) (local $j i32)
    (local $ldb i32) (local $pa i32) (local $pr i32) (local $px i32) (local $pend i32)
    (local $qab f64) (local $d f64) (local $s v128) (local $t v128) (local $old v128)
    (local $next v128) (local $diff v128) (local $acc v128) (local $zero v128)
    (local.set $ldb (i32.shl (local.get $ld) (i32.const 3)))
    (local.set $acc (v128.const f64x2 0 0))
    (local.set $zero (v128.const f64x2 0 0))
    (local.set $jb (local.get $j0))
    (block $done_jb
      (loop $loop_jb
        (br_if $done_jb (i32.ge_s (local.get $jb) (local.get $j1)))
        (local.set $je (i32.add (local.get $jb) (i32.const 128)))
        (if (i32.gt_s (local.get $je) (local.get $j1)) (then (local.set $je (local.get $j1))))
        (local.set $a (i32.const 0))
        (block $done_a
          (loop $loop_a
            (br_if $done_a (i32.ge_s (local.get $a) (local.get $k)))
            ;; row[jb:je] = C[a, jb:je]
            (local.set $pa (i32.add (local.get $cc)
              (i32.shl (i32.add (i32.mul (local.get $a) (local.get $ld)) (local.get $jb)) (i32.const 3))))
            (local.set $pr (i32.add (local.get $row) (i32.shl (local.get $jb) (i32.const 3))))
            (local.set $pend (i32.add (local.get $row) (i32.shl (local.get $je) (i32.const 3))))
            (block $d1 (loop $l1
              (br_if $d1 (i32.ge_u (local.get $pr) (local.get $pend)))
              (v128.store (local.get $pr) (v128.load (local.get $pa)))
              (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
              (local.set $pr (i32.add (local.get $pr) (i32.const 16)))
              (br $l1)))
            ;; row −= Q_ab · X_b for b ≠ a (in order of b, as the TypeScript sweep)
            (local.set $b (i32.const 0))
            (block $done_b
              (loop $loop_b
                (br_if $done_b (i32.ge_s (local.get $b) (local.get $k)))
                (if (i32.ne (local.get $b) (local.get $a))
                  (then
                    (local.set $qab (f64.load (i32.add (local.get $q)
                      (i32.shl (i32.add (i32.mul (local.get $a) (local.get $k)) (local.get $b)) (i32.const 3)))))
                    (if (f64.ne (local.get $qab) (f64.const 0))
                      (then
                        (local.set $s (f64x2.splat (local.get $qab)))
                        (local.set $px (i32.add (local.get $x)
                          (i32.shl (i32.add (i32.mul (local.get $b) (local.get $ld)) (local.get $jb)) (i32.const 3))))
                        (local.set $pr (i32.add (local.get $row) (i32.shl (local.get $jb) (i32.const 3))))
                        (block $d2 (loop $l2
                          (br_if $d2 (i32.ge_u (local.get $pr) (local.get $pend)))
                          (v128.store (local.get $pr)
                            (f64x2.sub (v128.load (local.get $pr))
                              (f64x2.mul (local.get $s) (v128.load (local.get $px)))))
                          (local.set $px (i32.add (local.get $px) (i32.const 16)))
                          (local.set $pr (i32.add (local.get $pr) (i32.const 16)))
                          (br $l2)))))))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $loop_b)))
            ;; update row a of X
            (local.set $d (f64.load (i32.add (local.get $q)
              (i32.shl (i32.mul (local.get $a) (i32.add (local.get $k) (i32.const 1))) (i32.const 3)))))
            (local.set $px (i32.add (local.get $x)
              (i32.shl (i32.add (i32.mul (local.get $a) (local.get $ld)) (local.get $jb)) (i32.const 3))))
            (local.set $pr (i32.add (local.get $row) (i32.shl (local.get $jb) (i32.const 3))))
            (if (f64.gt (local.get $d) (f64.const 0))
              (then
                (local.set $s (f64x2.splat (f64.div (f64.const 1) (local.get $d))))
                (block $d3 (loop $l3
                  (br_if $d3 (i32.ge_u (local.get $pr) (local.get $pend)))
                  (local.set $old (v128.load (local.get $px)))
                  (local.set $t (f64x2.mul (v128.load (local.get $pr)) (local.get $s)))
                  ;; next = t > 0 ? t : 0 (NaN and −0 give +0, as the TypeScript sweep)
                  (local.set $next (v128.and (local.get $t) (f64x2.gt (local.get $t) (local.get $zero))))
                  (local.set $diff (f64x2.sub (local.get $next) (local.get $old)))
                  (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $diff) (local.get $diff))))
                  (v128.store (local.get $px) (local.get $next))
                  (local.set $px (i32.add (local.get $px) (i32.const 16)))
                  (local.set $pr (i32.add (local.get $pr) (i32.const 16)))
                  (br $l3))))
              (else
                ;; dead row: X_aj ← 0 where r_j < 0 (and X_aj ≠ 0)
                (block $d4 (loop $l4
                  (br_if $d4 (i32.ge_u (local.get $pr) (local.get $pend)))
                  (local.set $old (v128.load (local.get $px)))
                  ;; mask: r < 0 and old ≠ 0
                  (local.set $t (v128.and
                    (f64x2.lt (v128.load (local.get $pr)) (local.get $zero))
                    (f64x2.ne (local.get $old) (local.get $zero))))
                  (local.set $diff (v128.and (local.get $old) (local.get $t)))
                  (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $diff) (local.get $diff))))
                  (v128.store (local.get $px) (v128.andnot (local.get $old) (local.get $t)))
                  (local.set $px (i32.add (local.get $px) (i32.const 16)))
                  (local.set $pr (i32.add (local.get $pr) (i32.const 16)))
                  (br $l4)))))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (br $loop_a)))
        (local.set $jb (local.get $je))
        (br $loop_jb)))
    (f64.store (local.get $out)
      (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc)))))
)
