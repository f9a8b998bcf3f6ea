#!/usr/bin/env bash
# Writes src/BannedSymbols.txt: the calls that block a thread until Redis or a task answers, which no code in src/ may
# make (Microsoft.CodeAnalysis.BannedApiAnalyzers, src/Directory.Build.props). Run it again after upgrading
# StackExchange.Redis or .NET; it lists the members from their own XML docs, so every overload is named.
set -euo pipefail
cd "$(dirname "$0")"
redis_version=$(sed -nE 's/.*Include="StackExchange.Redis" Version="([^"]+)".*/\1/p' ../Directory.Packages.props)
redis_xml=$(ls "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/stackexchange.redis/"$redis_version"/lib/net8.0/StackExchange.Redis.xml)
runtime_xml=$(ls -d "$(dirname "$(readlink -f "$(command -v dotnet)")")"/packs/Microsoft.NETCore.App.Ref/*/ref/net10.0/System.Runtime.xml | sort -V | tail -1)
ids() { grep -oE "name=\"$1\"" "$2" | sed -E 's/^name="//; s/"$//'; }
{
  cat <<HEADER
// Written by BannedSymbols.sh from StackExchange.Redis $redis_version's and .NET's XML docs; run it again after an upgrade.
// Calls that block a thread until Redis or a task answers, banned in src/ (RS0030, an error: warnings are errors
// here). Root storage reads Redis' replies on .NET's thread pool (docs/performance.md, "Redis replies on .NET's thread
// pool"): a thread blocked on a reply there can starve the pool that would deliver it. Await the Async twin instead.
// Only network calls are listed: members that answer from the client's own state (IsConnected, GetCounters, …) stay.
HEADER
  echo "P:System.Threading.Tasks.Task\`1.Result;await the task instead"
  { ids 'P:System\.Threading\.Tasks\.ValueTask`1\.Result' "$runtime_xml"
    ids 'M:System\.Threading\.Tasks\.Task\.Wait(All|Any)?(\([^"]*)?' "$runtime_xml"
    ids 'M:System\.Runtime\.CompilerServices\.[A-Za-z`0-9.]*Awaiter(`1)?\.GetResult' "$runtime_xml"
  } | sed 's/$/;await the task instead/'
  { ids 'M:StackExchange\.Redis\.(IDatabase|IRedis|IServer|ISubscriber)\.[^"]+' "$redis_xml" \
      | grep -vE '^M:StackExchange\.Redis\.[A-Za-z]+\.[A-Za-z]+Async[(`]|\.(CreateBatch|CreateTransaction|IsConnected|GetCounters|GetProductVariant|SubscribedEndpoint|IdentifyEndpoint)[(`]|\.(IsConnected|GetCounters)$'
    ids 'M:StackExchange\.Redis\.(IConnectionMultiplexer|ConnectionMultiplexer)\.(Configure|Close|Connect)[(`][^"]*' "$redis_xml"
  } | sed 's/$/;use the Async overload and await it/'
  ids 'M:StackExchange\.Redis\.(IRedisAsync|IConnectionMultiplexer|ConnectionMultiplexer)\.(Wait|WaitAll|TryWait)[(`][^"]*' "$redis_xml" \
    | sed 's/$/;await the task instead/'
} > BannedSymbols.txt
echo "src/BannedSymbols.txt: $(grep -vc '^//' BannedSymbols.txt) symbols"
