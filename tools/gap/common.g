# tools/gap/common.g -- helpers shared by axial.g and axial_large.g (read from the
# repository root). Everything written to the JSON files is chosen so that it does not
# depend on which class representative GAP happens to return (they vary between runs
# for S_10): StructureDescription with its top-level direct factors sorted, and H <= S_k
# (k <= 5) replaced by its canonical conjugate.

OnBreak := function() ForceQuitGap(1); end;

JsonString := s -> Concatenation("\"", s, "\"");
JsonList := l -> Concatenation("[", JoinStringsWithSeparator(l, ", "), "]");
JsonInts := l -> JsonList(List(l, String));
JsonStrings := l -> JsonList(List(l, JsonString));
PermString := p -> ReplacedString(String(p), " ", "");

CycleType := function(g, n)
  return Reversed(SortedList(CycleLengths(g, [1 .. n])));
end;

# StructureDescription with the top-level " x " factors sorted.
NormalStructure := function(G)
  local s, parts, depth, start, i;
  s := StructureDescription(G);
  parts := [];
  depth := 0;
  start := 1;
  i := 1;
  while i <= Length(s) do
    if s[i] = '(' then depth := depth + 1;
    elif s[i] = ')' then depth := depth - 1;
    elif depth = 0 and i + 2 <= Length(s) and s{[i .. i + 2]} = " x " then
      Add(parts, s{[start .. i - 1]});
      start := i + 3;
      i := i + 2;
    fi;
    i := i + 1;
  od;
  Add(parts, s{[start .. Length(s)]});
  Sort(parts);
  return JoinStringsWithSeparator(parts, " x ");
end;

# The conjugate of H <= S_k with the smallest sorted element list, and greedy
# generators taken from that list in order (both independent of the input generators).
CanonicalSubgroup := function(H, k)
  local best, g, l, gens, e;
  if k = 0 then return rec(elements := [()], generators := []); fi;
  best := fail;
  for g in SymmetricGroup(k) do
    l := AsSSortedList(H ^ g);
    if best = fail or l < best then best := l; fi;
  od;
  gens := [];
  for e in best do
    if not e in Group(Concatenation([()], gens)) then Add(gens, e); fi;
  od;
  return rec(elements := best, generators := gens);
end;

GeneratorStrings := function(gens)
  if Length(gens) = 0 then return ["()"]; fi;
  return List(gens, PermString);
end;

IRREPS := [["std", n -> [n - 1, 1]], ["n-2,2", n -> [n - 2, 2]],
           ["n-2,1,1", n -> [n - 2, 1, 1]]];

# The values of rho on the classes of CharacterTable("Symmetric", n), after checking the
# partition convention (the degree, and chi_std = n - 3 on a transposition).
IrrepValues := function(tbl, n, ir, params)
  local chars, values, pos;
  chars := List(CharacterParameters(tbl), p -> Reversed(SortedList(p[2])));
  values := ValuesOfClassFunction(Irr(tbl)[Position(chars, ir[2](n))]);
  pos := Position(IRREPS, ir);
  if values[Position(params, List([1 .. n], i -> 1))]
      <> [n - 1, n * (n - 3) / 2, (n - 1) * (n - 2) / 2][pos] then
    Error("degree of ", ir[1]);
  fi;
  if ir[1] = "std" and values[Position(params,
      Concatenation([2], List([1 .. n - 2], i -> 1)))] <> n - 3 then
    Error("std on a transposition");
  fi;
  return values;
end;

# dim Fix_rho(K) = <Res_K chi, 1_K>.
FixDim := function(K, n, values, params)
  local s, c;
  s := 0;
  for c in ConjugacyClasses(K) do
    s := s + Size(c) * values[Position(params, CycleType(Representative(c), n))];
  od;
  if not IsInt(s / Size(K)) then Error("not an integer"); fi;
  return s / Size(K);
end;
