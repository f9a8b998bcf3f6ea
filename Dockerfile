# One image recipe for both programs, chosen with the build argument APP=silo|gateway (see compose.yaml).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/Host/Silo.Host.csproj -c Release -o /out/silo \
 && dotnet publish src/Gateway/Gateway.csproj -c Release -o /out/gateway

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out /app
# APP picks the program: silo (Actors.Silo.Host.dll) or gateway (Actors.Gateway.dll).
ARG APP=silo
ENV APP=${APP}
# The aspnet image's unprivileged user (UID 1654): a silo or gateway needs no root, so a flaw in either gets none.
USER $APP_UID
ENTRYPOINT ["sh", "-c", "cd /app/$APP && if [ \"$APP\" = gateway ]; then exec dotnet Actors.Gateway.dll; else exec dotnet Actors.Silo.Host.dll; fi"]
