# tools/gap/axial.g -- axial isotropy subgroups of S_n in [n-1,1], [n-2,2], [n-2,1,1].
#
# For every conjugacy class of subgroups K of S_n and each of the three irreducibles rho,
# dim Fix_rho(K) = <Res_K chi_rho, 1_K> is computed from GAP's generic character table
# CharacterTable("Symmetric", n) (Murnaghan-Nakayama; classes matched by cycle type).
# K is an axial isotropy subgroup when dim Fix_rho(K) = 1 and K is the isotropy subgroup
# of the vectors of that line: no subgroup K' > K has dim Fix_rho(K') >= 1 (then
# Fix(K') = Fix(K) and K' would fix the line pointwise too). This is decided twice for
# n <= LATTICE_MAX (default 8), and the two answers must agree:
#   (a) lattice: every minimal supergroup of K (MinimalSupergroupsLattice) has dim 0;
#   (b) containment: no class K' of larger order with dim Fix_rho(K') = 1 contains a
#       conjugate of K (ContainedConjugates).
# For larger n only (b) is used (the lattice of S_9 takes minutes).
#
# For each axial class the output records its order, StructureDescription (top-level
# direct factors sorted), orbit lengths and its "form": K is conjugate to S_{n-k} x H
# with n-k >= 2 (H <= S_k on the other k points) exactly when some orbit A with
# |A| >= 2 has Sym(A) <= K; then A is taken largest, k = n - |A|, and H is the pointwise
# stabilizer of A in K acting on the complement (relabelled 1..k in increasing order),
# given by order, structure and, for k <= 5, the generators of its canonical conjugate
# in S_k (common.g). Nothing written depends on the class representatives GAP returns.
#
# Usage (from the repository root):
#   gap -q tools/gap/axial.g                     # n = 5..8 -> tools/gap/axial_n5_8.json
#   gap -q -c 'AXIAL_NS := [9, 10]; AXIAL_OUT := "tools/gap/axial_n9_10.json";' tools/gap/axial.g
# Written with GAP 4.12.1; runtimes in README.md.

Read("tools/gap/common.g");

if not IsBound(AXIAL_NS) then AXIAL_NS := [5 .. 8]; fi;
if not IsBound(AXIAL_OUT) then AXIAL_OUT := "tools/gap/axial_n5_8.json"; fi;
if not IsBound(LATTICE_MAX) then LATTICE_MAX := 8; fi;

# The form S_{n-k} x H (n-k >= 2) as a JSON object, or "null".
FormJson := function(K, n)
  local orbs, best, o, B, P, H, can, gens;
  orbs := List(Orbits(K, [1 .. n]), o -> SortedList(o));
  best := fail;
  for o in orbs do
    if Length(o) >= 2 and IsSubgroup(K, SymmetricGroup(o)) then
      if best = fail or Length(o) > Length(best) then best := o; fi;
    fi;
  od;
  if best = fail then return "null"; fi;
  B := Difference([1 .. n], best);
  P := Stabilizer(K, best, OnTuples);
  if Size(K) <> Factorial(Length(best)) * Size(P) then Error("not a direct product"); fi;
  if Length(B) = 0 then
    H := Group(());
  else
    H := Image(ActionHomomorphism(P, B));
  fi;
  if Length(B) <= 5 then
    can := CanonicalSubgroup(H, Length(B));
    gens := JsonStrings(GeneratorStrings(can.generators));
  else
    gens := "null";
  fi;
  return Concatenation("{\"k\": ", String(Length(B)), ", \"h_order\": ", String(Size(H)),
                       ", \"h_structure\": ", JsonString(NormalStructure(H)),
                       ", \"h_generators\": ", gens, "}");
end;

ClassJson := function(K, n)
  local orbits, structure, form;
  orbits := Reversed(SortedList(List(Orbits(K, [1 .. n]), Length)));
  structure := NormalStructure(K);
  form := FormJson(K, n);
  return rec(key := [Size(K), orbits, structure, form],
    json := Concatenation("{\"order\": ", String(Size(K)),
      ", \"structure\": ", JsonString(structure),
      ", \"orbits\": ", JsonInts(orbits),
      ", \"form\": ", form, "}"));
end;

AxialCases := function()
  local cases, n, G, tbl, params, L, reps, minsup, ir, part, values, dims, cand,
        axial_a, axial_b, entries;
  cases := [];
  for n in AXIAL_NS do
    G := SymmetricGroup(n);
    tbl := CharacterTable("Symmetric", n);
    params := List(ClassParameters(tbl), p -> Reversed(SortedList(p[2])));
    if n <= LATTICE_MAX then
      L := LatticeSubgroups(G);
      reps := List(ConjugacyClassesSubgroups(L), Representative);
      minsup := MinimalSupergroupsLattice(L);
    else
      reps := List(ConjugacyClassesSubgroups(G), Representative);
      minsup := fail;
    fi;
    for ir in IRREPS do
      part := ir[2](n);
      values := IrrepValues(tbl, n, ir, params);
      dims := List(reps, K -> FixDim(K, n, values, params));
      cand := Filtered([1 .. Length(reps)], i -> dims[i] = 1);
      # (b) containment in a larger class with a fixed line.
      axial_b := Filtered(cand, i -> ForAll(cand, j -> j = i
          or Size(reps[j]) <= Size(reps[i]) or Size(reps[j]) mod Size(reps[i]) <> 0
          or Length(ContainedConjugates(G, reps[j], reps[i])) = 0));
      if minsup <> fail then
        axial_a := Filtered(cand, i -> ForAll(minsup[i], p -> dims[p[1]] = 0));
        if axial_a <> axial_b then
          Error("lattice and containment tests disagree at n = ", n, ", ", ir[1]);
        fi;
      fi;
      entries := List(reps{axial_b}, K -> ClassJson(K, n));
      SortParallel(List(entries, e -> e.key), entries);
      Add(cases, Concatenation("    {\"n\": ", String(n), ", \"irrep\": ", JsonString(ir[1]),
        ", \"partition\": ", JsonInts(part),
        ", \"subgroup_classes\": ", String(Length(reps)),
        ", \"fixed_line_classes\": ", String(Length(cand)),
        ", \"axial\": [\n      ",
        JoinStringsWithSeparator(List(entries, e -> e.json), ",\n      "), "\n    ]}"));
    od;
  od;
  return cases;
end;

start := Runtime();
cases := AxialCases();
elapsed := Runtime() - start;

out := OutputTextFile(AXIAL_OUT, false);
SetPrintFormattingStatus(out, false);
AppendTo(out, "{\n  \"generator\": \"tools/gap/axial.g\",\n",
  "  \"gap_version\": ", JsonString(GAPInfo.Version), ",\n",
  "  \"n\": ", JsonInts(AXIAL_NS), ",\n",
  "  \"cases\": [\n", JoinStringsWithSeparator(cases, ",\n"), "\n  ]\n}\n");
CloseStream(out);
Print("wrote ", AXIAL_OUT, " (", elapsed, " ms of computation)\n");
QUIT;
